import type { Role } from './role.value-object';

/** A personal token not revoked (it may have expired), its user and every org the user is a member of. */
export interface PersonalTokenHolder {
  readonly tokenId: string;
  readonly userId: string;
  readonly expiresAt: Date | null;
  readonly memberships: readonly { orgId: string; role: Role; rateLimitPerMinute: number | null }[];
}

/** An API key not revoked (it may have expired), with its org. */
export interface ApiKeyHolder {
  readonly keyId: string;
  readonly orgId: string;
  readonly role: Role;
  readonly expiresAt: Date | null;
  readonly rateLimitPerMinute: number | null;
}

/**
 * Who holds a bearer token, by its hash: the one read across orgs (the token decides the orgs).
 * One query each, since it runs before every request.
 */
export interface CredentialLookup {
  personalToken(tokenHash: string): Promise<PersonalTokenHolder | null>;
  apiKey(tokenHash: string): Promise<ApiKeyHolder | null>;
  /** Records that the token was used; at most once a minute per token, so requests stay reads. */
  markPersonalTokenUsed(tokenId: string, at: Date): Promise<void>;
}
