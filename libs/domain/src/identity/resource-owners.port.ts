/**
 * Resources a route may name by id, whose org decides what the caller may do. `repository_history`:
 * a repository, or one disconnected without purge whose findings are still kept.
 */
export type OwnedResource = 'repository' | 'repository_history' | 'scan' | 'finding' | 'api_key';

export interface ResourceOwners {
  /** The org the resource belongs to; null when the unit of work's scope does not see it. */
  orgOf(resource: OwnedResource, id: string): Promise<string | null>;
}
