import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { raw } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { configuredSecrets, createLogger, logLevelOf } from '@repoguard/infrastructure';
import { Logger as RequestScopedLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module';
import { correlationId } from './common/correlation-id.middleware';
import { requestLoggingOptions } from './common/request-logging';
import { ApiMetrics } from '@repoguard/infrastructure';
import { httpMetrics } from './metrics/http-metrics.middleware';
import { bodyParserErrors, inputSanity, jsonBodiesOnly } from './common/request-guards';
import type { ApiConfig } from './config/api.config';
import { ErrorResponseFilter } from './errors/error-response.filter';
import { requestValidationError } from './errors/request-validation';
import { vexBodies } from './findings/vex-body.middleware';
import { createApiDocument } from './openapi/api-document';
import { AddressLimits } from './rate-limit/address-limits';
import { preAuthLimit } from './rate-limit/pre-auth-limit.middleware';
import { sbomBodies } from './sbom/sbom-body.middleware';

export const API_PREFIX = 'api/v1';

export interface ApiAppOptions {
  /** Where the JSON log lines go instead of stdout (tests read them). */
  readonly logDestination?: DestinationStream;
}

/** Builds the HTTP application exactly as production runs it; tests call this too. */
export async function createApiApp(
  config: ApiConfig,
  options: ApiAppOptions = {},
): Promise<INestApplication> {
  const logger = createLogger({
    service: 'api',
    level: logLevelOf(config),
    pretty: config.NODE_ENV === 'development',
    secrets: configuredSecrets(config),
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    // Held until the JSON logger below takes over, so boot lines come out as JSON too.
    bufferLogs: true,
    // Parsers are registered below: webhooks need their raw bytes (the signature covers them).
    bodyParser: false,
  });
  app.useLogger(app.get(RequestScopedLogger));
  app.disable('x-powered-by');
  // request.ip is the socket's address unless the operator names the proxies that set
  // X-Forwarded-For: trusting it from anyone would let a client choose its own rate-limit key.
  if (config.TRUST_PROXY) {
    app.set(
      'trust proxy',
      config.TRUST_PROXY.split(',').map((entry) => entry.trim()),
    );
  }
  app.use(httpMetrics(app.get(ApiMetrics)));
  app.use(correlationId);
  // Before the body parsers, so a request they reject still gets its line.
  app.use(pinoHttp(requestLoggingOptions(logger)));
  // Per source address, before bodies are parsed or tokens looked up (health and metrics excluded).
  app.use(`/${API_PREFIX}`, preAuthLimit(app.get(AddressLimits)));
  // GitHub deliveries up to GitHub's own maximum, kept as bytes; every other route takes JSON up to
  // 1 MB, and only JSON: no route reads a form.
  app.use(`/${API_PREFIX}/webhooks`, raw({ type: () => true, limit: '25mb' }));
  // SBOM uploads: JSON or XML, kept as bytes (stored as sent), up to SBOM_MAX_BYTES.
  app.use(`/${API_PREFIX}`, sbomBodies(config.SBOM_MAX_BYTES));
  // A VEX document may be larger than any other request: bytes too, parsed by its use case.
  app.use(`/${API_PREFIX}`, vexBodies());
  app.use(`/${API_PREFIX}`, jsonBodiesOnly);
  app.useBodyParser('json', { limit: '1mb' });
  app.use(bodyParserErrors);
  app.use(inputSanity);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/{*path}', 'metrics'] });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: requestValidationError,
    }),
  );
  app.useGlobalFilters(new ErrorResponseFilter());
  app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, createApiDocument(app, API_PREFIX), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  return app;
}
