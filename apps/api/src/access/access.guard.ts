import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  actorOf,
  adminTokenRefused,
  authorize,
  ForbiddenError,
  NotFoundError,
  orgIdsOf,
  type OwnedResource,
  type Principal,
  type TenantScope,
  type UnitOfWork,
  ValidationError,
} from '@repoguard/domain';
import { PUBLIC_ROUTE } from '../auth/public.decorator';
import type { ApiRequest, RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { UNIT_OF_WORK } from '../composition/application.providers';
import { ACCESS_RULE, type AccessRule, type OrgSource } from './access.decorator';
import { HeldRepositoryOwners } from './held-repository-owners';

const LOOKUPS: Record<
  'repo_param' | 'repo_history_param' | 'scan_param' | 'finding_param' | 'api_key_param',
  { param: string; resource: OwnedResource; code: string; what: string }
> = {
  repo_param: { param: 'repo_id', resource: 'repository', code: 'REPO_NOT_FOUND', what: 'repository' },
  repo_history_param: {
    param: 'repo_id',
    resource: 'repository_history',
    code: 'REPO_NOT_FOUND',
    what: 'repository',
  },
  scan_param: { param: 'scan_id', resource: 'scan', code: 'SCAN_NOT_FOUND', what: 'scan' },
  finding_param: { param: 'finding_id', resource: 'finding', code: 'FINDING_NOT_FOUND', what: 'finding' },
  api_key_param: { param: 'key_id', resource: 'api_key', code: 'API_KEY_NOT_FOUND', what: 'API key' },
};

/**
 * The one authorization decision for every route: finds the org the request acts in, checks the
 * caller's role there against the domain's permission matrix, and hands the route the caller's
 * tenant scope, which every use case's unit of work is bound to. A route without a rule is refused
 * (fail closed).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  /** Only for repo_history_param: its one route (the findings list) checks the repository is still there. */
  private readonly heldOwners = new HeldRepositoryOwners();

  constructor(
    private readonly reflector: Reflector,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const principal = request.user?.principal;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      // An @OptionalBearer route sent a valid token: the route learns who calls.
      if (principal) request.access = accessOf(principal, request);
      return true;
    }
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets);
    if (!principal) return false;
    if (!rule) throw new ForbiddenError('FORBIDDEN', 'This route has no access rule');

    const { scope, audit } = accessOf(principal, request);
    // An org route: said before the org is looked for, since no org is the admin token's.
    if (principal.kind === 'instance_admin' && rule.kind === 'permission') throw adminTokenRefused();
    if (rule.kind === 'user') {
      if (principal.kind !== 'user') {
        throw new ForbiddenError(
          'USER_TOKEN_REQUIRED',
          "Only a user's personal token (rg_pat_…) may do this",
        );
      }
      request.access = { principal, orgId: null, role: null, scope, audit };
      return true;
    }
    if (rule.kind === 'instance_admin') {
      if (principal.kind !== 'instance_admin') {
        throw new ForbiddenError('FORBIDDEN', 'Only the instance administrator token may do this');
      }
      request.access = { principal, orgId: null, role: null, scope, audit };
      return true;
    }
    if (rule.kind === 'any_caller') {
      request.access = { principal, orgId: null, role: null, scope, audit };
      return true;
    }
    const orgId = await this.orgOf(rule.org, request, scope, principal);
    const role = authorize(principal, orgId, rule.permission);
    request.access = { principal, orgId, role, scope, audit };
    return true;
  }

  private async orgOf(
    source: OrgSource,
    request: ApiRequest,
    scope: TenantScope,
    principal: Principal,
  ): Promise<string> {
    switch (source.from) {
      case 'org_param':
        return requireUuid(request.params['org_id'], 'org_id');
      case 'org_field': {
        const body = request.body as Record<string, unknown> | undefined;
        const value =
          request.query['org_id'] ?? (body && typeof body === 'object' ? body['org_id'] : undefined);
        if (value === undefined && principal.kind === 'api_key') return [...principal.roles.keys()][0]!;
        if (value === undefined) throw orgIdRequired();
        return requireUuid(value, 'org_id');
      }
      default: {
        const lookup = LOOKUPS[source.from];
        const id = requireUuid(request.params[lookup.param], lookup.param);
        const held = source.from === 'repo_history_param' && scope !== 'system';
        const heldOrgId = held ? this.heldOwners.get(id, scope.orgIds) : undefined;
        if (heldOrgId !== undefined) return heldOrgId;
        // The caller's scope sees nothing of other orgs: a foreign id is simply not found.
        const orgId = await this.uow.read(scope, ({ resourceOwners }) =>
          resourceOwners.orgOf(lookup.resource, id),
        );
        if (!orgId) throw new NotFoundError(lookup.code, `No ${lookup.what} with id ${id}`);
        if (held) this.heldOwners.remember(id, orgId);
        return orgId;
      }
    }
  }
}

/** A personal token may act in several orgs: the route must be told which one. */
function orgIdRequired(): ValidationError {
  return new ValidationError(
    'org_id is required with a personal token: name the org to act in (GET /api/v1/orgs/me lists yours); an org API key acts in its own org without it',
    [{ field: 'org_id', problem: 'is required with a personal token (the org to act in)' }],
    'REQUEST_INVALID',
  );
}

/** The caller's orgs and audit context, before any org is chosen. */
function accessOf(principal: Principal, request: ApiRequest): RequestAccess {
  return {
    principal,
    orgId: null,
    role: null,
    scope: { orgIds: orgIdsOf(principal) },
    audit: { ...actorOf(principal), correlationId: request.correlationId ?? null, ip: request.ip ?? null },
  };
}
