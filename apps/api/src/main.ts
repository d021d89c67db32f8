import { tracing } from './tracing';
import 'reflect-metadata';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Logger } from '@nestjs/common';
import { configuredSecrets, createLogger, loadConfig, logLevelOf } from '@repoguard/infrastructure';
import { superviseApiProcesses } from './api-cluster';
import { createApiApp } from './app.factory';
import { apiProcessCount, ApiConfig } from './config/api.config';

async function bootstrap(): Promise<void> {
  const config = loadConfig(ApiConfig);
  const processes = apiProcessCount(config, availableParallelism());
  if (processes > 1 && cluster.isPrimary) {
    const logger = createLogger({
      service: 'api',
      level: logLevelOf(config),
      pretty: config.NODE_ENV === 'development',
      secrets: configuredSecrets(config),
    });
    superviseApiProcesses(processes, logger);
    return;
  }
  const app = await createApiApp(config);
  await app.listen(config.API_PORT, config.API_HOST);
  new Logger('Bootstrap').log(`RepoGuard API listening on ${await app.getUrl()} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  // Config errors already name each variable; print them without a stack.
  console.error(error instanceof Error && 'code' in error ? error.message : error);
  void Promise.resolve(tracing?.shutdown()).finally(() => process.exit(1));
});
