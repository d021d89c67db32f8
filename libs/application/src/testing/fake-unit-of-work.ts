import type {
  AuditContext,
  AuditEvent,
  NewNotificationEvent,
  Stores,
  TenantScope,
  UnitOfWork,
} from '@repoguard/domain';

/**
 * Runs a use case's work over in-memory stores that a test hands in (only the ones the use case
 * names: any other throws), and keeps the audit rows and notification events it recorded. No
 * rollback: tests check what a failing use case did not write before it threw.
 */
export class FakeUnitOfWork implements UnitOfWork {
  readonly audited: (AuditEvent & { actor: AuditContext })[] = [];
  readonly notified: NewNotificationEvent[] = [];
  /** Repositories whose day's open findings were counted, in order. */
  readonly countedRepos: string[] = [];
  readonly scopes: TenantScope[] = [];
  /** Transactions open right now: each holds a pooled database connection in production. */
  open = 0;
  private readonly stores: Stores;

  constructor(stores: Partial<Omit<Stores, 'audit'>>) {
    const audit: Stores['audit'] = { record: (actor, event) => this.audited.push({ ...event, actor }) };
    const notificationEvents: Stores['notificationEvents'] = {
      record: (events) => {
        this.notified.push(...events);
        return Promise.resolve();
      },
    };
    const openFindingHistory: Stores['openFindingHistory'] = {
      record: (repoId) => {
        this.countedRepos.push(repoId);
        return Promise.resolve();
      },
      changes: () => Promise.resolve([]),
    };
    this.stores = new Proxy({ notificationEvents, openFindingHistory, ...stores, audit } as Stores, {
      get: (target, key) => {
        if (typeof key === 'string' && !(key in target)) throw new Error(`the test gave no ${key} store`);
        return Reflect.get(target, key) as unknown;
      },
    });
  }

  async transaction<T>(scope: TenantScope, work: (stores: Stores) => Promise<T>): Promise<T> {
    this.scopes.push(scope);
    this.open++;
    try {
      return await work(this.stores);
    } finally {
      this.open--;
    }
  }

  read<T>(scope: TenantScope, work: (stores: Stores) => Promise<T>): Promise<T> {
    return this.transaction(scope, work);
  }
}

export const fixedClock = (iso: string) => ({ now: () => new Date(iso) });
