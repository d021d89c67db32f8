import type { Role } from './role.value-object';

export interface ApiKeyRecord {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
}

export interface NewApiKey {
  readonly orgId: string;
  readonly name: string;
  readonly role: Role;
  readonly tokenHash: string;
  readonly prefix: string;
  readonly createdBy: string | null;
  readonly expiresAt: Date | null;
}

/** An org's API keys; only a key's hash is ever stored. */
export interface ApiKeyRepository {
  /** Queued with the unit of work; the id is known at once. */
  add(key: NewApiKey): ApiKeyRecord;
  list(orgId: string): Promise<ApiKeyRecord[]>;
  get(id: string): Promise<ApiKeyRecord | null>;
  revoke(id: string, at: Date): Promise<void>;
  /** Every key of the org not revoked yet stops working at `at`. */
  revokeAll(orgId: string, at: Date): Promise<void>;
}
