import {
  pino,
  stdSerializers,
  stdTimeFunctions,
  type DestinationStream,
  type Level,
  type Logger,
  type LoggerOptions,
} from 'pino';
import { REDACTED, redactSecrets } from '@repoguard/domain';

export interface LoggerSettings {
  /** `api`, `worker`: every line carries it, so one log store can hold both processes. */
  readonly service: string;
  readonly level: Level;
  /**
   * Human-readable lines (pino-pretty) instead of JSON, when stdout is a terminal: output sent to a
   * file or a pipe (`npm run up` writes .repoguard/logs/*.log) stays JSON lines that tools can read.
   * Ignored when pino-pretty is not installed.
   */
  readonly pretty?: boolean;
  /** Values masked wherever they appear in a line (configuredSecrets(config)). */
  readonly secrets?: readonly string[];
  /** Where lines go instead of stdout (tests capture them). */
  readonly destination?: DestinationStream;
}

// Field names whose values are credentials, wherever a caller puts them (headers, options, errors).
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'secret',
  'clientSecret',
  'webhookSecret',
  'password',
  'privateKey',
  'apiKey',
  'taskToken',
];
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-hub-signature', 'x-hub-signature-256'];

/** pino `redact` paths: credentials by field name, at the top level and one or two levels down. */
export const LOG_REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) =>
    ['headers', 'req.headers', 'res.headers', 'request.headers', 'response.headers'].map(
      (parent) => `${parent}["${header}"]`,
    ),
  ),
];

/**
 * The process's pino logger: JSON lines on stdout, with credentials masked twice over: by field
 * name (LOG_REDACT_PATHS) and, in the finished line, every configured secret and anything shaped
 * like a token (redactSecrets), so a secret inside a message or an error's stack is masked too.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const secrets = withJsonEscapes(settings.secrets ?? []);
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: settings.service, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: stdSerializers.err, error: stdSerializers.err },
    redact: { paths: [...LOG_REDACT_PATHS], censor: REDACTED },
    hooks: { streamWrite: (line) => redactSecrets(line, secrets) },
  };
  if (settings.destination) return pino(options, settings.destination);
  if (settings.pretty && process.stdout.isTTY === true && prettyAvailable()) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(options);
}

// A secret holding a quote, a backslash or a newline is written escaped inside a JSON line.
function withJsonEscapes(secrets: readonly string[]): string[] {
  return [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))];
}

// pino-pretty is a development dependency: a production install has no such module.
function prettyAvailable(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
