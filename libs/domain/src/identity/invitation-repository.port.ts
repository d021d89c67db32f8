import type { Role } from './role.value-object';

export interface InvitationRecord {
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly role: Role;
  readonly expiresAt: Date;
  readonly acceptedAt: Date | null;
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
  /** Pending invitations of the org stop working at `at`. */
  expirePending(orgId: string, at: Date): Promise<void>;
}
