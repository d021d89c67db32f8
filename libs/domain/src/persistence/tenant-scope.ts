/**
 * Which organisations' rows a unit of work may read and write: the caller's orgs (every API
 * request), or all of them for the system's own work (webhook deliveries, the worker).
 */
export type TenantScope = { readonly orgIds: readonly string[] } | 'system';

export const SYSTEM_SCOPE: TenantScope = 'system';
