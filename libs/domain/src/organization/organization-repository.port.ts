export interface OrganizationRecord {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  /** Requests per minute per token; null means the instance default. */
  readonly rateLimitPerMinute: number | null;
  readonly deletedAt: Date | null;
  readonly createdAt: Date;
}

export type OrganizationChanges = Partial<Pick<OrganizationRecord, 'name' | 'rateLimitPerMinute'>>;

export interface OrganizationRepository {
  /** Queued with the unit of work; the id is known at once. A taken slug fails as a unique violation. */
  add(org: Pick<OrganizationRecord, 'name' | 'slug'>): OrganizationRecord;
  get(id: string): Promise<OrganizationRecord | null>;
  /** Every org the unit of work's scope sees, oldest first. */
  listVisible(): Promise<OrganizationRecord[]>;
  update(id: string, changes: OrganizationChanges): Promise<OrganizationRecord>;
  /** Keeps the row (the audit log refers to it); members, keys and invitations go separately. */
  markDeleted(id: string, at: Date): Promise<OrganizationRecord>;
}
