// Keeps test output readable: the worker's per-state INFO lines drown real failures.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({
  logger: new DefaultLogger(process.env['TEMPORAL_TEST_LOG_LEVEL'] === 'debug' ? 'DEBUG' : 'WARN'),
});
