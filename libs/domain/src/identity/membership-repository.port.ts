import type { Role } from './role.value-object';

export interface MembershipRecord {
  readonly orgId: string;
  readonly userId: string;
  readonly role: Role;
  readonly createdAt: Date;
}

export interface MemberRecord extends MembershipRecord {
  readonly email: string | null;
}

export interface MembershipRepository {
  /** The org's owners, locked until the unit of work ends: owner changes happen one at a time. */
  lockOwners(orgId: string): Promise<MembershipRecord[]>;
  get(orgId: string, userId: string): Promise<MembershipRecord | null>;
  /** The org's members with their emails, oldest first. */
  list(orgId: string): Promise<MemberRecord[]>;
  add(membership: Pick<MembershipRecord, 'orgId' | 'userId' | 'role'>): MembershipRecord;
  setRole(orgId: string, userId: string, role: Role): Promise<void>;
  remove(orgId: string, userId: string): Promise<void>;
  /** The orgs the user is a member of (within the unit of work's scope). */
  orgIdsOfUser(userId: string): Promise<string[]>;
  /** Every membership of the org; how many there were. */
  removeAll(orgId: string): Promise<number>;
}
