import type { Logger as TemporalLogger, LogLevel as TemporalLogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from 'pino';

const LEVELS: Record<TemporalLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's logger (`Runtime.install({ logger })`) writing into a pino logger: the SDK's
 * metadata (workflowId, runId, activityType, attempt, taskQueue, namespace...) become JSON fields
 * of the line, and the workflow's and activities' own `log` calls come out the same way.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: TemporalLogLevel, message: string, meta?: LogMetadata): void {
    this.logger[LEVELS[level] ?? 'info'](fieldsOf(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * An activity's metadata names its run `workflowRunId`, a workflow's `runId`: one name for both, so
 * a query by run finds both. The task token is a credential for completing the activity: dropped.
 */
export function fieldsOf(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  const { workflowRunId, taskToken: _taskToken, error, ...rest } = meta as Record<string, unknown>;
  return {
    ...rest,
    ...(workflowRunId !== undefined && rest['runId'] === undefined ? { runId: workflowRunId } : {}),
    ...(error !== undefined ? { err: error } : {}),
  };
}
