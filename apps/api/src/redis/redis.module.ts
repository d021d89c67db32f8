import { Global, Inject, Module, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

export const REDIS = Symbol('REDIS');

/** Provides a Redis client when REDIS_URL is set, and `null` otherwise. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig): Redis | null =>
        config.REDIS_URL
          ? new Redis(config.REDIS_URL, {
              lazyConnect: true,
              // Fail fast while Redis is away instead of queueing commands forever.
              enableOfflineQueue: false,
              maxRetriesPerRequest: 1,
              connectTimeout: 2_000,
              // A request sends up to three rate-limit commands, and 50 requests in flight send them
              // in the same ticks: one write per tick instead of one per command.
              enableAutoPipelining: true,
            })
          : null,
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }
}
