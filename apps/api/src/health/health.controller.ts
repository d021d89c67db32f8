import { Controller, Get, HttpStatus, Inject, type OnApplicationShutdown, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { checkAll, type HealthReport } from '@repoguard/infrastructure';
import { Public } from '../auth/public.decorator';
import { type ApiHealthChecks, HEALTH_CHECKS } from '../composition/health-checks.provider';
import { DependencyHealthDto, HealthDto, LiveDto } from './health-response.dto';

@ApiTags('health')
@ApiExtraModels(DependencyHealthDto)
@Public()
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  constructor(@Inject(HEALTH_CHECKS) private readonly dependencies: ApiHealthChecks) {}

  /** The process answers: for a liveness probe, which must not fail because a dependency is down. */
  @Get('live')
  @ApiOkResponse({ type: LiveDto, description: 'While the process serves requests' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['', 'ready'])
  @ApiOkResponse({ type: HealthDto, description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({
    type: HealthDto,
    description: 'At least one dependency is down; `checks` says which and why',
  })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await checkAll(this.dependencies.checks);
    response.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dependencies.close();
  }
}
