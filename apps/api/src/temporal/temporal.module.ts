import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import {
  activeTracing,
  CorrelationIdClientInterceptor,
  closableConnectionInterceptors,
  ensureAdvisorySyncSchedule,
  removeAdvisorySyncSchedule,
  resolveAdvisorySources,
  withClientTracing,
} from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

export const TEMPORAL_CONNECTION = Symbol('TEMPORAL_CONNECTION');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/** Whether onApplicationShutdown has begun closing each connection this module made. */
const closing = new WeakMap<Connection, { closed: boolean }>();

/**
 * Lazy: the API starts and reports Temporal as down rather than refusing to boot. The reconnect
 * backoff is capped (gRPC's default grows to 2 min): after an outage, the scan request relay reaches
 * a restored Temporal within seconds.
 */
export function createTemporalConnection(address: string): Connection {
  const state = { closed: false };
  const connection = Connection.lazy({
    address,
    channelArgs: { 'grpc.max_reconnect_backoff_ms': 2_000, 'grpc.initial_reconnect_backoff_ms': 250 },
    // Calls still in retry at shutdown (the boot-time Schedule reconciliations, a relay's start)
    // end as CANCELLED instead of throwing from a timer once the channel is closed.
    interceptors: closableConnectionInterceptors(() => state.closed),
  });
  closing.set(connection, state);
  return connection;
}

@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CONNECTION,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => createTemporalConnection(config.TEMPORAL_ADDRESS),
    },
    {
      provide: TEMPORAL_CLIENT,
      inject: [TEMPORAL_CONNECTION, API_CONFIG],
      // With tracing on, signal-with-start carries the request's trace context to the workflow.
      useFactory: (connection: Connection, config: ApiConfig) =>
        new Client(
          withClientTracing({
            connection,
            namespace: config.TEMPORAL_NAMESPACE,
            // The request's correlation id travels to the workflow and its activities in a header.
            interceptors: { workflow: [new CorrelationIdClientInterceptor()] },
          }),
        ),
    },
  ],
  exports: [TEMPORAL_CONNECTION, TEMPORAL_CLIENT],
})
export class TemporalModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AdvisorySync');

  constructor(
    @Inject(TEMPORAL_CONNECTION) private readonly connection: Connection,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Keeps the advisory sync's Temporal Schedule in line with ADVISORY_SYNC_SOURCES (removed when
   * they are unset); safe with several replicas starting at once. Not awaited: the API serves
   * without Temporal (and says so in /health) rather than refusing to boot.
   */
  onApplicationBootstrap(): void {
    void this.reconcileAdvisorySyncSchedule();
  }

  private async reconcileAdvisorySyncSchedule(): Promise<void> {
    const sources = resolveAdvisorySources(
      (this.config.ADVISORY_SYNC_SOURCES ?? '').split(','),
      this.config.OSV_EXPORT_BASE_URL,
    );
    if (sources.length === 0) {
      try {
        if ((await removeAdvisorySyncSchedule(this.client)) === 'deleted')
          this.logger.log('advisory sync schedule removed: no ADVISORY_SYNC_SOURCES');
      } catch (error) {
        this.logger.warn(`advisory sync schedule not checked: ${(error as Error).message}`);
      }
      return;
    }
    try {
      const outcome = await ensureAdvisorySyncSchedule(this.client, {
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        intervalHours: this.config.ADVISORY_SYNC_INTERVAL_HOURS,
        input: {
          sources,
          scanTaskQueue: this.config.TEMPORAL_TASK_QUEUE,
          rematchTaskQueue: this.config.rematchTaskQueue,
        },
      });
      this.logger.log(
        `advisory sync schedule ${outcome}: every ${this.config.ADVISORY_SYNC_INTERVAL_HOURS} h from ${sources.join(', ')}`,
      );
    } catch (error) {
      this.logger.warn(`advisory sync schedule not set: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const state = closing.get(this.connection);
    if (state) state.closed = true;
    await this.connection.close();
    // Nest re-raises SIGTERM once these hooks are done: the last chance to export buffered spans.
    await activeTracing()?.shutdown();
  }
}
