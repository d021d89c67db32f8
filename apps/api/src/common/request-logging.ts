import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';
import type { ApiRequest } from './api-request';
import { assignCorrelationId } from './correlation-id.middleware';

const PROBES = /^\/(?:health|metrics)(?:\/|$|\?)/;

/**
 * pino-http, set up for one line per request: method, route pattern, status, duration, org, actor
 * and correlation id, and nothing from headers or bodies (they hold tokens and customer data).
 * Every line logged while the request runs carries the same correlation id.
 */
export function requestLoggingOptions(logger: Logger): Options<IncomingMessage, ServerResponse> {
  return {
    logger,
    genReqId: (request, response) =>
      assignCorrelationId(request as ApiRequest, response as Parameters<typeof assignCorrelationId>[1]),
    customAttributeKeys: { reqId: 'correlationId', responseTime: 'durationMs' },
    // Without these, every line of the request would carry the whole serialized request.
    quietReqLogger: true,
    quietResLogger: true,
    // Probes come every few seconds: kept out of the info stream; a 503 is "not ready", not a fault.
    customLogLevel: (request, response, error) => {
      const failed = Boolean(error) || response.statusCode >= 500;
      if (PROBES.test((request as ApiRequest).originalUrl ?? request.url ?? ''))
        return failed ? 'warn' : 'debug';
      return failed ? 'error' : 'info';
    },
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, response, value: { durationMs: number }) =>
      requestFields(request as ApiRequest, response, value.durationMs),
    customErrorObject: (request, response, _error, value: { durationMs: number }) =>
      requestFields(request as ApiRequest, response, value.durationMs),
  };
}

export function requestFields(request: ApiRequest, response: ServerResponse, durationMs: number) {
  const principal = request.user?.principal;
  const orgs = principal ? [...principal.roles.keys()] : [];
  const orgId = request.access?.orgId ?? (orgs.length === 1 ? orgs[0] : undefined);
  return {
    method: request.method,
    route: routeOf(request),
    status: response.statusCode,
    durationMs,
    ...(orgId ? { orgId } : {}),
    ...(principal
      ? { actor: actorOf(principal.kind, principal.id) }
      : request.header('x-github-delivery') !== undefined
        ? { actor: 'webhook:github' }
        : {}),
  };
}

/** The route pattern (`/api/v1/repos/:repo_id/scans`), not the path: ids stay out of the field. */
function routeOf(request: ApiRequest): string {
  const pattern = (request.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${request.baseUrl}${pattern}` : 'unmatched';
}

function actorOf(kind: 'user' | 'api_key' | 'instance_admin', id: string | null): string {
  return kind === 'instance_admin' ? 'admin' : `${kind}:${id ?? 'unknown'}`;
}
