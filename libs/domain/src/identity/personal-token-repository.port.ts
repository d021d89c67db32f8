/** What may be shown of a personal token: never its secret nor its hash. */
export interface PersonalTokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
  /** null: it never expires. */
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface NewPersonalToken {
  readonly userId: string;
  readonly name: string;
  readonly tokenHash: string;
  readonly prefix: string;
  readonly expiresAt?: Date | null;
}

/**
 * Users' bearer tokens; only the hash is stored. Not tenant data (a user spans orgs): every read
 * names the user, so one user never sees another's tokens whatever the unit of work's scope.
 */
export interface PersonalTokenRepository {
  /** Queued with the unit of work; the id is known at once. */
  add(token: NewPersonalToken): PersonalTokenRecord;
  /** The user's tokens, newest first, revoked and expired ones included. */
  listOfUser(userId: string): Promise<PersonalTokenRecord[]>;
  /** The token if it is the user's; another user's token is as missing as an unknown id. */
  getOfUser(userId: string, id: string): Promise<PersonalTokenRecord | null>;
  revoke(id: string, at: Date): Promise<void>;
}
