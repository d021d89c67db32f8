import { Controller, Get, HttpStatus, Inject, type OnApplicationShutdown, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Response } from 'express';
import {
  checkAll,
  type HealthCheck,
  type HealthReport,
  MigrationsHealthCheck,
  PostgresHealthCheck,
  RedisHealthCheck,
  TemporalHealthCheck,
} from '@repoguard/infrastructure';
import { Public } from '../auth/public.decorator';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { REDIS } from '../redis/redis.module';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  private readonly checks: HealthCheck[];
  private readonly temporal: TemporalHealthCheck;

  constructor(em: EntityManager, @Inject(REDIS) redis: Redis | null, @Inject(API_CONFIG) config: ApiConfig) {
    this.temporal = new TemporalHealthCheck(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
    this.checks = [new PostgresHealthCheck(em), new MigrationsHealthCheck(em), this.temporal];
    if (redis) this.checks.push(new RedisHealthCheck(redis));
  }

  /** The process answers: for a liveness probe, which must not fail because a dependency is down. */
  @Get('live')
  @ApiOkResponse({ description: '`{ status: "ok" }` while the process serves requests' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['', 'ready'])
  @ApiOkResponse({
    description: 'Every dependency answers: `{ status: "ok", checks: { postgres, temporal, redis? } }`',
  })
  @ApiServiceUnavailableResponse({
    description: 'At least one dependency is down; `checks` says which and why',
  })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await checkAll(this.checks);
    response.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.temporal.close();
  }
}
