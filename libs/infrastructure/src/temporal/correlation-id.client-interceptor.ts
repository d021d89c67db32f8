import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { CORRELATION_ID_HEADER } from '@repoguard/contract';

type Headers = Record<string, Payload>;

function idOf(arg: unknown): string | undefined {
  const id = (arg as { correlationId?: unknown } | undefined)?.correlationId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

function withId(headers: Headers, id: string | undefined): Headers {
  return id === undefined
    ? headers
    : { ...headers, [CORRELATION_ID_HEADER]: defaultPayloadConverter.toPayload(id) };
}

/**
 * Puts the correlation id of a scan request (its `correlationId`: the API request's X-Request-Id,
 * a webhook's delivery id) in a Temporal header of the signal or start that carries it, where the
 * workflow's interceptor picks it up for the activities (libs/workflows/src/correlation.interceptors.ts).
 */
export class CorrelationIdClientInterceptor implements WorkflowClientInterceptor {
  start: NonNullable<WorkflowClientInterceptor['start']> = (input, next) =>
    next({ ...input, headers: withId(input.headers, idOf(input.options.args?.[0])) });

  signal: NonNullable<WorkflowClientInterceptor['signal']> = (input, next) =>
    next({ ...input, headers: withId(input.headers, idOf(input.args[0])) });

  signalWithStart: NonNullable<WorkflowClientInterceptor['signalWithStart']> = (input, next) =>
    next({ ...input, headers: withId(input.headers, idOf(input.signalArgs[0] ?? input.options.args?.[0])) });
}
