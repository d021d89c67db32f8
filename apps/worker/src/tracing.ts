// main.ts's first import. Instrumentation patches `http` and `pg` as they are required, so tracing
// starts here, before Nest, MikroORM or Octokit load them, and so before config is loaded: the one
// place the worker reads process.env outside its config (SharedConfig validates the same variables).
// The direct path, not the @repoguard/infrastructure barrel, which would load `pg` first.
import { startTracingFromEnv } from '../../../libs/infrastructure/src/telemetry/tracing';

export const tracing = startTracingFromEnv('repoguard-worker');
