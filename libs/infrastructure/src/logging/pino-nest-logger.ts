import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's LoggerService over a pino logger, for the processes without HTTP (the worker, the CLI):
 * Nest's `(message, ...params, context)` calls become one JSON line with `context` as a field.
 * The API uses nestjs-pino instead, which adds the request's correlation id.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack, context) for errors; an Error object carries its own stack.
    const [stack, context] = params.length >= 2 ? params : [undefined, ...params];
    if (message instanceof Error) {
      this.logger.error({ ...contextField(context), err: message }, message.message);
      return;
    }
    this.logger.error(
      { ...contextField(context), ...(typeof stack === 'string' ? { stack } : {}) },
      text(message),
    );
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]) {
    const context = params.length > 0 ? params[params.length - 1] : undefined;
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      this.logger[level]({ ...contextField(context), ...message });
      return;
    }
    this.logger[level](contextField(context), text(message));
  }
}

function contextField(context: unknown): { context?: string } {
  return typeof context === 'string' ? { context } : {};
}

function text(message: unknown): string {
  return message instanceof Error ? message.message : String(message);
}
