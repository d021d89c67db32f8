// Installs the Temporal runtime's logger once per test file. The console gets WARN and up only (the
// worker's per-state INFO lines drown real failures); every INFO+ line is also kept, as the JSON the
// worker process writes, for tests that assert on activity and workflow logs.
import { DefaultLogger, Runtime } from '@temporalio/worker';
// The logging files alone, not the package's barrel: this runs before every test file.
import { createLogger } from '../../libs/infrastructure/src/logging/pino-logger.factory';
import { PinoTemporalLogger } from '../../libs/infrastructure/src/logging/temporal-runtime-logger';
import { captureLogs } from './log-capture';

const debug = process.env['TEMPORAL_TEST_LOG_LEVEL'] === 'debug';

/** The worker's log lines (INFO and up) since this test file started. */
export const temporalLogs = captureLogs();

const json = new PinoTemporalLogger(
  createLogger({ service: 'worker', level: debug ? 'debug' : 'info', destination: temporalLogs.destination }),
);
const printed = new DefaultLogger(debug ? 'DEBUG' : 'WARN');

Runtime.install({
  logger: new DefaultLogger(debug ? 'DEBUG' : 'INFO', ({ level, message, meta }) => {
    json.log(level, message, meta);
    printed.log(level, message, meta);
  }),
});
