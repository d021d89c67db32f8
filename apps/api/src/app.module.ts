import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { createMikroOrmConfig } from '@repoguard/infrastructure';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ApiV1Module } from './api-v1.module';
import { API_CONFIG, type ApiConfig } from './config/api.config';
import { healthChecksProvider } from './composition/health-checks.provider';
import { DashboardModule } from './dashboard/dashboard.module';
import { HealthController } from './health/health.controller';
import { RedisModule } from './redis/redis.module';
import { TemporalModule } from './temporal/temporal.module';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        // pino-http runs as app middleware (createApiApp); this binds its per-request logger, so
        // every line logged while a request runs carries the request's correlation id.
        LoggerModule.forRoot({
          pinoHttp: { logger },
          useExisting: true,
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        }),
        MikroOrmModule.forRoot({
          ...createMikroOrmConfig({ databaseUrl: config.DATABASE_URL }),
          // Lets the API boot and report PostgreSQL as down on /health instead of crashing.
          connect: false,
          // Every route works on its own tenant-scoped fork (see AccessGuard): no request-wide
          // context to track, and none of the async-hook cost on every promise that comes with it.
          registerRequestContext: false,
        }),
        TemporalModule,
        RedisModule,
        ApiV1Module,
        DashboardModule.forRoot(config),
      ],
      controllers: [HealthController],
      providers: [{ provide: API_CONFIG, useValue: config }, healthChecksProvider],
      exports: [API_CONFIG],
    };
  }
}
