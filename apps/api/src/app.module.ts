import { type DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { createMikroOrmConfig } from '@repoguard/infrastructure';
import { ApiV1Module } from './api-v1.module';
import { API_CONFIG, type ApiConfig } from './config/api.config';
import { HealthController } from './health/health.controller';
import { RedisModule } from './redis/redis.module';
import { TemporalModule } from './temporal/temporal.module';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
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
      ],
      controllers: [HealthController],
      providers: [{ provide: API_CONFIG, useValue: config }],
      exports: [API_CONFIG],
    };
  }
}
