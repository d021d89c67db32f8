import { Controller, Get } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GetCurrentIdentity, type CurrentIdentity } from '@repoguard/application';
import { Access, AnyCaller } from '../access/access.decorator';
import { callerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { CurrentIdentityDto } from './current-identity-response.dto';

/** One shape for every kind of caller; what does not apply to it is null. Never a secret. */
function identityView(identity: CurrentIdentity): CurrentIdentityDto {
  switch (identity.kind) {
    case 'user':
      return {
        kind: identity.kind,
        user: { id: identity.user.id, email: identity.user.email },
        api_key: null,
        orgs: identity.orgs.map((org) => ({ id: org.orgId, role: org.role })),
        token: {
          type: 'personal' as const,
          id: identity.token.id,
          name: identity.token.name,
          prefix: identity.token.prefix,
          expires_at: identity.token.expiresAt?.toISOString() ?? null,
        },
      };
    case 'api_key': {
      const key = identity.apiKey;
      return {
        kind: identity.kind,
        user: null,
        api_key: { id: key.id, name: key.name, org_id: key.orgId, role: key.role },
        orgs: [{ id: key.orgId, role: key.role }],
        token: {
          type: 'api_key' as const,
          id: key.id,
          name: key.name,
          prefix: key.prefix,
          expires_at: key.expiresAt?.toISOString() ?? null,
        },
      };
    }
    case 'instance_admin':
      // The operator's REPOGUARD_ADMIN_TOKEN: no id, no stored prefix, no expiry.
      return {
        kind: identity.kind,
        user: null,
        api_key: null,
        orgs: [],
        token: { type: 'admin' as const, id: null, name: null, prefix: null, expires_at: null },
      };
  }
}

@ApiTags('identity')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('auth/me')
export class CurrentIdentityController {
  constructor(private readonly getCurrentIdentity: GetCurrentIdentity) {}

  @Get()
  @AnyCaller()
  @ApiOkResponse({
    type: CurrentIdentityDto,
    description:
      'Who is calling (kind: user, api_key or instance_admin) and through which token (type, id, prefix, ' +
      'expiry); the orgs it acts in with its role in each',
  })
  async me(@Access() access: RequestAccess): Promise<CurrentIdentityDto> {
    return identityView(
      await this.getCurrentIdentity.execute({ caller: callerOf(access), principal: access.principal }),
    );
  }
}
