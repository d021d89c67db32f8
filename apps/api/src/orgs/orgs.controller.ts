import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiBadRequestResponse,
} from '@nestjs/swagger';
import { Access, AnyCaller, InstanceAdmin, Requires } from '../access/access.decorator';
import { Public } from '../auth/public.decorator';
import type { ApiRequest, RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { ChangeRoleBody, CreateOrgBody, InviteBody, UpdateOrgBody } from './org.dto';
import { OrgsService } from './orgs.service';

@ApiTags('organizations')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Malformed request: details name each field' })
@Controller()
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Post('orgs')
  @InstanceAdmin()
  @ApiCreatedResponse({ description: "The org, its owner and the owner's personal token (shown once)" })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'ORG_SLUG_TAKEN' })
  create(@Body() body: CreateOrgBody, @Access() access: RequestAccess) {
    return this.orgs.create(body, access.audit);
  }

  @Get('orgs/me')
  @AnyCaller()
  @ApiOkResponse({ description: "The caller's orgs, with the caller's role in each" })
  mine(@Access() access: RequestAccess) {
    return this.orgs.mine(access);
  }

  @Patch('orgs/:org_id')
  @Requires('org.update', 'org_param')
  @ApiOkResponse({ description: 'The org after the change (name, rate limit per token)' })
  update(@Access() access: RequestAccess, @Body() body: UpdateOrgBody) {
    return this.orgs.update(access, body);
  }

  @Delete('orgs/:org_id')
  @HttpCode(204)
  @Requires('org.delete', 'org_param')
  @ApiNoContentResponse({ description: 'Deleted: members, API keys and invitations stop working at once' })
  async delete(@Access() access: RequestAccess): Promise<void> {
    await this.orgs.delete(access);
  }

  @Get('orgs/:org_id/members')
  @Requires('members.read', 'org_param')
  members(@Access() access: RequestAccess) {
    return this.orgs.members(access);
  }

  @Post('orgs/:org_id/invite')
  @Requires('members.invite', 'org_param')
  @ApiCreatedResponse({ description: 'The invitation and its token (shown once)' })
  invite(@Access() access: RequestAccess, @Body() body: InviteBody) {
    return this.orgs.invite(access, body);
  }

  @Patch('orgs/:org_id/members/:user_id')
  @Requires('members.invite', 'org_param')
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'LAST_OWNER: the last owner cannot be demoted' })
  changeRole(
    @Access() access: RequestAccess,
    @Param('user_id') userId: string,
    @Body() body: ChangeRoleBody,
  ) {
    return this.orgs.changeRole(access, requireUuid(userId, 'user_id'), body.role);
  }

  @Delete('orgs/:org_id/members/:user_id')
  @HttpCode(204)
  @Requires('members.invite', 'org_param')
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'LAST_OWNER: the last owner cannot be removed' })
  async remove(@Access() access: RequestAccess, @Param('user_id') userId: string): Promise<void> {
    await this.orgs.remove(access, requireUuid(userId, 'user_id'));
  }

  @Post('invites/:token/accept')
  @Public()
  @ApiCreatedResponse({ description: 'The membership and a personal token for the (new or existing) user' })
  @ApiGoneResponse({ type: ErrorBodyDto, description: 'INVITATION_USED or INVITATION_EXPIRED' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto })
  accept(@Param('token') token: string, @Req() request: ApiRequest) {
    return this.orgs.accept(token, { correlationId: request.correlationId ?? null, ip: request.ip ?? null });
  }
}
