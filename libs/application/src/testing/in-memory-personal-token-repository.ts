import type { NewPersonalToken, PersonalTokenRecord, PersonalTokenRepository } from '@repoguard/domain';

/** Personal tokens in a list, hashes kept so tests can see what was stored. */
export class InMemoryPersonalTokenRepository implements PersonalTokenRepository {
  readonly rows: (PersonalTokenRecord & { tokenHash: string })[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  add({ expiresAt, ...token }: NewPersonalToken): PersonalTokenRecord {
    const row = {
      ...token,
      id: `pt-${this.rows.length + 1}`,
      createdAt: this.now(),
      expiresAt: expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
    };
    this.rows.push(row);
    return row;
  }

  listOfUser(userId: string): Promise<PersonalTokenRecord[]> {
    return Promise.resolve(this.rows.filter((t) => t.userId === userId).reverse());
  }

  getOfUser(userId: string, id: string): Promise<PersonalTokenRecord | null> {
    return Promise.resolve(this.rows.find((t) => t.userId === userId && t.id === id) ?? null);
  }

  revoke(id: string, at: Date): Promise<void> {
    const index = this.rows.findIndex((t) => t.id === id);
    if (index < 0) return Promise.reject(new Error(`no token ${id}`));
    this.rows[index] = { ...this.rows[index]!, revokedAt: at };
    return Promise.resolve();
  }
}
