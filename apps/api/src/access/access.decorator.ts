import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiParam,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiUnauthorizedResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Permission } from '@repoguard/domain';
import type { ApiRequest, RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';

/** Where a route's org comes from: the org in the path, or the org of the resource the path names. */
export type OrgSource =
  | { readonly from: 'org_param' }
  | { readonly from: 'repo_param' }
  /** A repository, or a disconnected one whose findings were kept. */
  | { readonly from: 'repo_history_param' }
  | { readonly from: 'scan_param' }
  | { readonly from: 'finding_param' }
  | { readonly from: 'api_key_param' }
  /** `org_id` in the query string or the JSON body. */
  | { readonly from: 'org_field' };

export type AccessRule =
  | { readonly kind: 'permission'; readonly permission: Permission; readonly org: OrgSource }
  /** Any authenticated user or key, not about one org (GET /orgs/me). */
  | { readonly kind: 'any_caller' }
  /** A user with their own personal token, not about one org (their tokens); keys are refused. */
  | { readonly kind: 'user' }
  | { readonly kind: 'instance_admin' };

export const ACCESS_RULE = 'repoguard:access';

const documented = (...extra: MethodDecorator[]) =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ErrorBodyDto,
      description: 'No token, or an unknown, revoked or expired one',
    }),
    ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'Rate limit reached: see Retry-After' }),
    ...extra,
  );

/** The permission a route needs in the org `org` names; another tenant's org or resource is a 404. */
export const Requires = (permission: Permission, org: OrgSource['from']) =>
  applyDecorators(
    // The guard reads org_id from the path itself; routes that never name it in a handler still document it.
    ...(org === 'org_param' ? [ApiParam({ name: 'org_id', format: 'uuid' })] : []),
    SetMetadata(ACCESS_RULE, { kind: 'permission', permission, org: { from: org } } satisfies AccessRule),
    documented(
      ApiForbiddenResponse({ type: ErrorBodyDto, description: `The caller's role lacks ${permission}` }),
      ApiNotFoundResponse({ type: ErrorBodyDto, description: "No such resource in the caller's orgs" }),
    ),
  );

export const AnyCaller = () =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'any_caller' } satisfies AccessRule), documented());

export const UserCaller = () =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'user' } satisfies AccessRule),
    documented(
      ApiForbiddenResponse({
        type: ErrorBodyDto,
        description: "Only a user's personal token may (API keys and the instance admin token are refused)",
      }),
    ),
  );

export const InstanceAdmin = () =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'instance_admin' } satisfies AccessRule),
    documented(
      ApiForbiddenResponse({ type: ErrorBodyDto, description: 'Only the instance admin token may' }),
    ),
  );

/** The access the guard granted: the org, the role and the tenant-scoped entity manager. */
export const Access = createParamDecorator((_: unknown, context: ExecutionContext): RequestAccess => {
  const access = context.switchToHttp().getRequest<ApiRequest>().access;
  if (!access) throw new Error('Access used on a route the access guard did not run on');
  return access;
});
