import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Req,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiUnauthorizedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiBadRequestResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import {
  AcceptInvitation,
  ChangeMemberRole,
  CreateOrganization,
  DeleteOrganization,
  InviteMember,
  ListInvitations,
  ListMembers,
  ListMyOrganizations,
  RemoveMember,
  RevokeInvitation,
  UpdateOrganization,
} from '@repoguard/application';
import type { InvitationRecord, MembershipRecord, OrganizationRecord } from '@repoguard/domain';
import { Access, AnyCaller, InstanceAdmin, Requires } from '../access/access.decorator';
import { callerOf, orgCallerOf } from '../access/caller';
import { OptionalBearer } from '../auth/public.decorator';
import type { ApiRequest, RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { CredentialCheckInterceptor } from '../rate-limit/credential-check.interceptor';
import { ChangeRoleBody, CreateOrgBody, InviteBody, UpdateOrgBody } from './org.dto';
import {
  AcceptedInvitationDto,
  CreatedOrgDto,
  InvitationDto,
  MemberRoleDto,
  MembersDto,
  MyOrgsDto,
  OrgDto,
  PendingInvitationsDto,
} from './org-response.dto';
import { ApiUnannouncedChangeResponse } from '../errors/unannounced-change.response';

const orgView = (org: OrganizationRecord) => ({
  id: org.id,
  name: org.name,
  slug: org.slug,
  rate_limit_per_minute: org.rateLimitPerMinute,
  created_at: org.createdAt.toISOString(),
});

const memberView = (m: MembershipRecord) => ({
  user_id: m.userId,
  role: m.role,
  joined_at: m.createdAt.toISOString(),
});

/** Never the token nor its hash: the token was shown once, to whoever invited. */
const invitationView = (invitation: InvitationRecord) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  invited_by: invitation.invitedBy,
  created_at: invitation.createdAt.toISOString(),
  expires_at: invitation.expiresAt.toISOString(),
});

@ApiTags('organizations')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Malformed request: details name each field' })
@Controller()
export class OrgsController {
  constructor(
    private readonly createOrganization: CreateOrganization,
    private readonly listMyOrganizations: ListMyOrganizations,
    private readonly updateOrganization: UpdateOrganization,
    private readonly deleteOrganization: DeleteOrganization,
    private readonly listMembers: ListMembers,
    private readonly inviteMember: InviteMember,
    private readonly changeMemberRole: ChangeMemberRole,
    private readonly removeMember: RemoveMember,
    private readonly acceptInvitation: AcceptInvitation,
    private readonly listInvitations: ListInvitations,
    private readonly revokeInvitation: RevokeInvitation,
  ) {}

  @Post('orgs')
  @InstanceAdmin()
  @ApiCreatedResponse({
    type: CreatedOrgDto,
    description:
      'The org and its owner. A new owner email gets a user and its first personal token (`token`, shown once); ' +
      'an email that already has a user is made owner with `token: null`: they use their own tokens',
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'ORG_SLUG_TAKEN' })
  async create(@Body() body: CreateOrgBody, @Access() access: RequestAccess): Promise<CreatedOrgDto> {
    const created = await this.createOrganization.execute({
      actor: access.audit,
      name: body.name,
      slug: body.slug,
      ownerEmail: body.owner_email,
    });
    return {
      org: orgView(created.org),
      owner: { id: created.owner.id, email: created.owner.email, role: 'owner' as const },
      token: created.token,
      token_prefix: created.tokenPrefix,
    };
  }

  @Get('orgs/me')
  @AnyCaller()
  @ApiOkResponse({ type: MyOrgsDto, description: "The caller's orgs, with the caller's role in each" })
  async mine(@Access() access: RequestAccess): Promise<MyOrgsDto> {
    const orgs = await this.listMyOrganizations.execute({ caller: callerOf(access) });
    return { items: orgs.map((org) => ({ ...orgView(org), role: access.principal.roles.get(org.id)! })) };
  }

  @Patch('orgs/:org_id')
  @Requires('org.update', 'org_param')
  @ApiOkResponse({ type: OrgDto, description: 'The org after the change (name, rate limit per token)' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: "rate_limit_per_minute above the instance's RATE_LIMIT_PER_MINUTE",
  })
  async update(@Access() access: RequestAccess, @Body() body: UpdateOrgBody): Promise<OrgDto> {
    return orgView(
      await this.updateOrganization.execute({
        caller: orgCallerOf(access),
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.rate_limit_per_minute !== undefined
          ? { rateLimitPerMinute: body.rate_limit_per_minute }
          : {}),
      }),
    );
  }

  @Delete('orgs/:org_id')
  @HttpCode(204)
  @Requires('org.delete', 'org_param')
  @ApiNoContentResponse({
    description:
      'Deleted: members, API keys and invitations stop working at once; its sealed secrets, installation links and repositories go, its running scans are stopped',
  })
  @ApiUnannouncedChangeResponse()
  async delete(@Access() access: RequestAccess): Promise<void> {
    await this.deleteOrganization.execute({ caller: orgCallerOf(access) });
  }

  @Get('orgs/:org_id/members')
  @Requires('members.read', 'org_param')
  @ApiOkResponse({ type: MembersDto, description: "The org's members and their roles" })
  async members(@Access() access: RequestAccess): Promise<MembersDto> {
    const members = await this.listMembers.execute({ caller: orgCallerOf(access) });
    return {
      items: members.map((m) => ({
        user_id: m.userId,
        email: m.email,
        role: m.role,
        joined_at: m.createdAt.toISOString(),
      })),
    };
  }

  @Post('orgs/:org_id/invite')
  @Requires('members.invite', 'org_param')
  @ApiCreatedResponse({ type: InvitationDto, description: 'The invitation and its token (shown once)' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'ALREADY_MEMBER: the email is a member already' })
  async invite(@Access() access: RequestAccess, @Body() body: InviteBody): Promise<InvitationDto> {
    const { invitation, token } = await this.inviteMember.execute({
      caller: orgCallerOf(access),
      email: body.email,
      role: body.role,
    });
    return {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      token,
      accept_path: `/api/v1/invites/${token}/accept`,
      expires_at: invitation.expiresAt.toISOString(),
    };
  }

  @Get('orgs/:org_id/invitations')
  @Requires('members.invite', 'org_param')
  @ApiOkResponse({
    type: PendingInvitationsDto,
    description: 'Invitations not accepted, revoked nor expired, oldest first; never their tokens',
  })
  async invitations(@Access() access: RequestAccess): Promise<PendingInvitationsDto> {
    const pending = await this.listInvitations.execute({ caller: orgCallerOf(access) });
    return { items: pending.map(invitationView) };
  }

  @Delete('orgs/:org_id/invitations/:invitation_id')
  @HttpCode(204)
  @Requires('members.invite', 'org_param')
  @ApiNoContentResponse({
    description:
      'Revoked (again: nothing changes): accepting it answers 410 INVITATION_REVOKED. ' +
      'An owner invitation takes an owner, as inviting one does',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'INVITATION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'INVITATION_USED: already accepted' })
  async revokeInvitationById(
    @Access() access: RequestAccess,
    @Param('invitation_id') invitationId: string,
  ): Promise<void> {
    await this.revokeInvitation.execute({
      caller: orgCallerOf(access),
      invitationId: requireUuid(invitationId, 'invitation_id'),
    });
  }

  @Patch('orgs/:org_id/members/:user_id')
  @Requires('members.invite', 'org_param')
  @ApiOkResponse({ type: MemberRoleDto, description: 'The membership after the change' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'LAST_OWNER: the last owner cannot be demoted' })
  @ApiUnannouncedChangeResponse()
  async changeRole(
    @Access() access: RequestAccess,
    @Param('user_id') userId: string,
    @Body() body: ChangeRoleBody,
  ): Promise<MemberRoleDto> {
    return memberView(
      await this.changeMemberRole.execute({
        caller: orgCallerOf(access),
        userId: requireUuid(userId, 'user_id'),
        role: body.role,
      }),
    );
  }

  @Delete('orgs/:org_id/members/:user_id')
  @HttpCode(204)
  @Requires('members.invite', 'org_param')
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'LAST_OWNER: the last owner cannot be removed' })
  @ApiUnannouncedChangeResponse()
  async remove(@Access() access: RequestAccess, @Param('user_id') userId: string): Promise<void> {
    await this.removeMember.execute({ caller: orgCallerOf(access), userId: requireUuid(userId, 'user_id') });
  }

  @Post('invites/:token/accept')
  @OptionalBearer()
  @UseInterceptors(CredentialCheckInterceptor)
  @ApiTooManyRequestsResponse({
    type: ErrorBodyDto,
    description: 'Too many failed attempts from this address',
  })
  @ApiCreatedResponse({
    type: AcceptedInvitationDto,
    description:
      'The membership. Without a bearer token the invited email must be new: a user is created and its first ' +
      'personal token returned (shown once). An existing user accepts with their own personal token and gets ' +
      'no new one (`token: null`)',
  })
  @ApiUnauthorizedResponse({
    type: ErrorBodyDto,
    description:
      "INVITATION_SIGN_IN_REQUIRED: the invited email has a user, accept with that user's token; " +
      'TOKEN_INVALID: the token sent is unknown, revoked or expired',
  })
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description:
      'INVITATION_EMAIL_MISMATCH: the signed-in user is not the invited email; INVITATION_NEEDS_USER: an API key or the admin token',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'INVITATION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'ALREADY_MEMBER' })
  @ApiGoneResponse({
    type: ErrorBodyDto,
    description: 'INVITATION_USED, INVITATION_REVOKED or INVITATION_EXPIRED',
  })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto })
  async accept(@Param('token') token: string, @Req() request: ApiRequest): Promise<AcceptedInvitationDto> {
    const accepted = await this.acceptInvitation.execute({
      token,
      caller: request.access ? callerOf(request.access) : null,
      correlationId: request.correlationId ?? null,
      ip: request.ip ?? null,
    });
    return {
      org: accepted.org,
      user: accepted.user,
      role: accepted.role,
      token: accepted.token,
      token_prefix: accepted.tokenPrefix,
    };
  }
}
