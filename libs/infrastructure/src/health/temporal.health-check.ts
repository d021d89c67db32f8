import { Connection } from '@temporalio/client';
import type { HealthCheck } from './health-check';

/**
 * Owns a connection of its own without the client's retry interceptor: a probe must answer
 * "down" at once, and must not leave retries running after the app closes.
 */
export class TemporalHealthCheck implements HealthCheck {
  readonly name = 'temporal';
  private readonly connection: Connection;

  constructor(
    address: string,
    private readonly namespace: string,
  ) {
    this.connection = Connection.lazy({ address, interceptors: [], connectTimeout: 2_000 });
  }

  /** Describing our namespace proves both that the frontend answers and that the namespace exists. */
  async check(): Promise<void> {
    await this.connection.withDeadline(Date.now() + 2_000, () =>
      this.connection.workflowService.describeNamespace({ namespace: this.namespace }),
    );
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
