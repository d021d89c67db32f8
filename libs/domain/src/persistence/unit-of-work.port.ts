import type { Stores } from './stores';
import type { TenantScope } from './tenant-scope';

/** Runs a use case's reads and writes against storage that sees only `scope`'s orgs. */
export interface UnitOfWork {
  /** One transaction: everything `work` wrote is kept when it returns, nothing when it throws. */
  transaction<T>(scope: TenantScope, work: (stores: Stores) => Promise<T>): Promise<T>;
  /** Reads (and writes flushed as they go) without a transaction around them. */
  read<T>(scope: TenantScope, work: (stores: Stores) => Promise<T>): Promise<T>;
}
