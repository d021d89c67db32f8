/** What the self-check asks of the persistence layer: is it there, and is its schema current. */
export interface DatabaseStatus {
  readonly serverTime: Date;
  readonly appliedMigrations: number;
}

export interface SystemProbe {
  probeDatabase(): Promise<DatabaseStatus>;
}
