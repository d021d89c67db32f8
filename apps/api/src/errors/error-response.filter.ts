import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, RateLimitedError, type ErrorDetail, type ErrorKind } from '@repoguard/domain';

export interface ErrorBody {
  error: { code: string; message: string; details: readonly ErrorDetail[] };
}

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  gone: HttpStatus.GONE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

// Codes whose status differs from their kind's: a malformed request is 400, not 422.
const STATUS_BY_CODE: Record<string, number> = {
  REQUEST_INVALID: HttpStatus.BAD_REQUEST,
  MALFORMED_JSON: HttpStatus.BAD_REQUEST,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  UNSUPPORTED_ENCODING: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  // A channel's URL or SMTP host pointing inside the network: as malformed as any other bad field.
  NOTIFICATION_ADDRESS_FORBIDDEN: HttpStatus.BAD_REQUEST,
  // A VEX decision's fields that do not go together, a VEX document that is not one: malformed too.
  VEX_DECISION_INVALID: HttpStatus.BAD_REQUEST,
  VEX_INVALID: HttpStatus.BAD_REQUEST,
  // An uploaded SBOM that is not one, or not one RepoGuard reads: a malformed body.
  SBOM_FORMAT_UNSUPPORTED: HttpStatus.BAD_REQUEST,
  SBOM_INVALID: HttpStatus.BAD_REQUEST,
  SBOM_VERSION_UNSUPPORTED: HttpStatus.BAD_REQUEST,
  SBOM_TOO_MANY_COMPONENTS: HttpStatus.PAYLOAD_TOO_LARGE,
};

// body-parser reports its failures as errors with a `type`; they happen before any route.
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'The request body is not valid JSON',
  },
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_ENCODING',
    message: 'The body encoding is not supported',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_CHARSET',
    message: 'The body charset is not supported',
  },
  'request.aborted': { status: 400, code: 'REQUEST_ABORTED', message: 'The request was aborted' },
};

/** The one place where errors become HTTP responses: `{ error: { code, message, details } }`. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorResponseFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    if (exception instanceof RateLimitedError)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="repoguard"');
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(status).json(body);
  }

  toResponse(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_CODE[exception.code] ?? STATUS_BY_KIND[exception.kind];
      return { status, body: errorBody(exception.code, exception.message, exception.details) };
    }
    const parserError = BODY_PARSER_ERRORS[(exception as { type?: string } | null)?.type ?? ''];
    if (parserError) {
      return { status: parserError.status, body: errorBody(parserError.code, parserError.message) };
    }
    // Any other body-parser refusal (e.g. a body that does not decode as announced) is the client's.
    const parserStatus = (exception as { status?: unknown; expose?: unknown } | null)?.status;
    if (
      typeof parserStatus === 'number' &&
      parserStatus >= 400 &&
      parserStatus < 500 &&
      !(exception instanceof HttpException)
    ) {
      return {
        status: parserStatus,
        body: errorBody('MALFORMED_BODY', 'The request body could not be read'),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, body: errorBody(codeForStatus(status), exception.message) };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: errorBody('INTERNAL_ERROR', 'An unexpected error occurred; it has been logged'),
    };
  }
}

function errorBody(code: string, message: string, details: readonly ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details } };
}

function codeForStatus(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string' ? name : `HTTP_${status}`;
}
