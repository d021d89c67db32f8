import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { ApiMetrics } from '@repoguard/infrastructure';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { MetricsTokenGuard } from './metrics-token.guard';

// Public to the bearer strategy (tenant tokens do not open it): the metrics token does.
@ApiTags('health')
@Public()
@UseGuards(MetricsTokenGuard)
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'METRICS_TOKEN_INVALID' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'METRICS_TOKEN is not configured' })
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format', schema: { type: 'string' } })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
