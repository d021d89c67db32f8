import type { NextFunction, Request, Response } from 'express';
import type { ApiMetrics } from '@repoguard/infrastructure';

/**
 * Times every request and labels it by the route pattern (`/api/v1/repos/:repo_id/findings`), never
 * by the raw path: ids would make one time series per resource.
 */
export function httpMetrics(metrics: ApiMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    response.on('finish', () => {
      const route = request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : 'unmatched';
      stop({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}
