import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { activeTracing, withClientTracing } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

export const TEMPORAL_CONNECTION = Symbol('TEMPORAL_CONNECTION');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CONNECTION,
      inject: [API_CONFIG],
      // Lazy: the API starts and reports Temporal as down rather than refusing to boot.
      useFactory: (config: ApiConfig) => Connection.lazy({ address: config.TEMPORAL_ADDRESS }),
    },
    {
      provide: TEMPORAL_CLIENT,
      inject: [TEMPORAL_CONNECTION, API_CONFIG],
      // With tracing on, signal-with-start carries the request's trace context to the workflow.
      useFactory: (connection: Connection, config: ApiConfig) =>
        new Client(withClientTracing({ connection, namespace: config.TEMPORAL_NAMESPACE })),
    },
  ],
  exports: [TEMPORAL_CONNECTION, TEMPORAL_CLIENT],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    // Nest re-raises SIGTERM once these hooks are done: the last chance to export buffered spans.
    await activeTracing()?.shutdown();
  }
}
