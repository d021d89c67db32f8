import { tracing } from './tracing';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@repoguard/infrastructure';
import { createApiApp } from './app.factory';
import { ApiConfig } from './config/api.config';

async function bootstrap(): Promise<void> {
  const config = loadConfig(ApiConfig);
  const app = await createApiApp(config);
  await app.listen(config.API_PORT, config.API_HOST);
  new Logger('Bootstrap').log(`RepoGuard API listening on ${await app.getUrl()} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  // Config errors already name each variable; print them without a stack.
  console.error(error instanceof Error && 'code' in error ? error.message : error);
  void Promise.resolve(tracing?.shutdown()).finally(() => process.exit(1));
});
