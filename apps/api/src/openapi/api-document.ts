import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorBodyDto } from '../errors/error-body.dto';

/**
 * Answers the middleware gives before any route runs (body parsers, the per-address limit), so
 * every route can answer them; a route's own decorators document everything else.
 */
const ANSWERS_OF_EVERY_ROUTE: Readonly<Record<string, string>> = {
  '400': 'MALFORMED_JSON or REQUEST_INVALID: `details` name each field',
  '413': 'PAYLOAD_TOO_LARGE: the body is over the limit',
  '415': 'The body is not in a type, encoding or charset this route reads',
};
const ANSWERS_OF_API_ROUTES: Readonly<Record<string, string>> = {
  ...ANSWERS_OF_EVERY_ROUTE,
  '429': 'RATE_LIMITED: too many requests from this address or token; see Retry-After',
};

/** The OpenAPI document served at /docs/openapi.json. */
export function createApiDocument(app: INestApplication, apiPrefix: string): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('RepoGuard API')
      .setDescription('Watches the dependencies of GitHub repositories for known vulnerabilities.')
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        // Opaque tokens looked up by hash, not JWTs: nothing in them is meant to be decoded.
        bearerFormat: 'opaque',
        description:
          'A personal token (`rg_pat_…`), an API key (`rg_key_…`) or the instance admin token ' +
          '(REPOGUARD_ADMIN_TOKEN); /metrics takes METRICS_TOKEN',
      })
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  const errorBody = { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } };
  for (const [path, operations] of Object.entries(document.paths)) {
    const shared = path.startsWith(`/${apiPrefix}/`) ? ANSWERS_OF_API_ROUTES : ANSWERS_OF_EVERY_ROUTE;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = operations[method];
      if (!operation) continue;
      for (const [status, description] of Object.entries(shared)) {
        operation.responses[status] ??= { description, content: errorBody };
      }
    }
  }
  return document;
}
