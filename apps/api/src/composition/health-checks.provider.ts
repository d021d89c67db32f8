import type { Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import {
  type HealthCheck,
  MigrationsHealthCheck,
  PostgresHealthCheck,
  RedisHealthCheck,
  TemporalHealthCheck,
} from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { REDIS } from '../redis/redis.module';

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

/** What readiness asks, and the one connection it opens for it (closed at shutdown). */
export interface ApiHealthChecks {
  readonly checks: readonly HealthCheck[];
  close(): Promise<void>;
}

export const healthChecksProvider: Provider = {
  provide: HEALTH_CHECKS,
  inject: [EntityManager, REDIS, API_CONFIG],
  useFactory: (em: EntityManager, redis: Redis | null, config: ApiConfig): ApiHealthChecks => {
    const temporal = new TemporalHealthCheck(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
    const checks: HealthCheck[] = [new PostgresHealthCheck(em), new MigrationsHealthCheck(em), temporal];
    if (redis) checks.push(new RedisHealthCheck(redis));
    return { checks, close: () => temporal.close() };
  },
};
