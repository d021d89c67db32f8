export interface NewPersonalToken {
  readonly userId: string;
  readonly name: string;
  readonly tokenHash: string;
  readonly prefix: string;
}

/** Users' bearer tokens; only the hash is stored. */
export interface PersonalTokenRepository {
  add(token: NewPersonalToken): void;
}
