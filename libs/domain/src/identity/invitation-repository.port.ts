import type { Role } from './role.value-object';

export interface InvitationRecord {
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly role: Role;
  readonly expiresAt: Date;
  readonly acceptedAt: Date | null;
  /** Withdrawn by an owner or admin before anyone accepted it: it can never be accepted. */
  readonly revokedAt: Date | null;
  /** The actor id of whoever invited (a user or an API key). */
  readonly invitedBy: string | null;
  readonly createdAt: Date;
}

export interface NewInvitation {
  readonly orgId: string;
  readonly email: string;
  readonly role: Role;
  readonly tokenHash: string;
  readonly invitedBy: string | null;
  readonly expiresAt: Date;
}

/** Single-use, expiring invitations; only the token's hash is stored. */
export interface InvitationRepository {
  /** Queued with the unit of work; the id is known at once. */
  add(invitation: NewInvitation): InvitationRecord;
  /** Locked until the unit of work ends, so one invitation is accepted once. */
  lockByTokenHash(tokenHash: string): Promise<InvitationRecord | null>;
  markAccepted(id: string, at: Date): Promise<void>;
  /** Neither accepted, revoked nor expired at `now`, oldest first. */
  listPending(orgId: string, now: Date): Promise<InvitationRecord[]>;
  /** The org's invitation, locked until the unit of work ends (a revoke never races an accept). */
  lockInOrg(orgId: string, id: string): Promise<InvitationRecord | null>;
  markRevoked(id: string, at: Date): Promise<void>;
  /** Pending invitations of the org stop working at `at`. */
  expirePending(orgId: string, at: Date): Promise<void>;
}
