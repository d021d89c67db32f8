/** Resources a route may name by id, whose org decides what the caller may do. */
export type OwnedResource = 'repository' | 'scan' | 'finding' | 'api_key';

export interface ResourceOwners {
  /** The org the resource belongs to; null when the unit of work's scope does not see it. */
  orgOf(resource: OwnedResource, id: string): Promise<string | null>;
}
