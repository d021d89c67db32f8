export interface UserRecord {
  readonly id: string;
  readonly email: string;
}

export interface UserRepository {
  get(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Queued with the unit of work; the id is known at once. */
  add(email: string): UserRecord;
}
