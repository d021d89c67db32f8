import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { NotFoundError, UnauthenticatedError } from '@repoguard/domain';
import { secretsEqual } from '@repoguard/infrastructure';
import type { Request } from 'express';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

/**
 * /metrics describes every tenant's traffic, so it answers only Prometheus: `Authorization: Bearer
 * <METRICS_TOKEN>`, compared in constant time. Without METRICS_TOKEN the route is off (404).
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.METRICS_TOKEN;
    if (!expected) throw new NotFoundError('NOT_FOUND', 'Metrics are off: set METRICS_TOKEN to scrape them');
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header.trim())?.[1];
    if (!token || !secretsEqual(token, expected)) {
      throw new UnauthenticatedError(
        'METRICS_TOKEN_INVALID',
        'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"',
      );
    }
    return true;
  }
}
