import { ConsoleLogger, type ConsoleLoggerOptions, type LogLevel } from '@nestjs/common';
import { redactSecrets } from '@repoguard/domain';
import { SECRET_VARIABLES } from '../config/load-config';

/**
 * Nest's console logger with every line, stack traces included, passed through redactSecrets: a
 * token or configured secret that ends up in a message or an error is printed as [REDACTED],
 * whichever code logged it.
 */
export class RedactingConsoleLogger extends ConsoleLogger {
  constructor(
    private readonly secrets: readonly string[],
    options: ConsoleLoggerOptions = {},
  ) {
    super(options);
  }

  protected override formatMessage(
    logLevel: LogLevel,
    message: unknown,
    pidMessage: string,
    formattedLogLevel: string,
    contextMessage: string,
    timestampDiff: string,
  ): string {
    return redactSecrets(
      super.formatMessage(logLevel, message, pidMessage, formattedLogLevel, contextMessage, timestampDiff),
      this.secrets,
    );
  }

  // Nest calls this with undefined when an error was logged without a stack.
  protected override printStackTrace(stack: string | undefined): void {
    super.printStackTrace(
      typeof stack === 'string' ? redactSecrets(stack, this.secrets) : (stack as unknown as string),
    );
  }
}

/** The configured values that are secrets, whichever of them a process has. */
export function configuredSecrets(config: object): string[] {
  const values = config as Record<string, unknown>;
  return SECRET_VARIABLES.flatMap((name) =>
    typeof values[name] === 'string' ? String(values[name]).split(',') : [],
  )
    .map((value) => value.trim())
    .filter((value) => value !== '');
}
