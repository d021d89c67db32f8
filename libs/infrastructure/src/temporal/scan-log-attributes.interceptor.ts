import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptors } from '@temporalio/worker';
import { CORRELATION_ID_HEADER } from '@repoguard/contract';

/** The fields of a scan step's input that say which scan and which request it works for. */
interface ScanRefLike {
  readonly scanId?: unknown;
  readonly correlationId?: unknown;
}

/**
 * Every scan step receives its scan's `ScanRef` (scan id, and the correlation id of the API
 * request or webhook delivery that asked for it) and the correlation-id header the workflow set.
 * Adding them to the activity's log attributes puts them on every line logged for that execution,
 * the SDK's own ("Activity failed", retries) included, not only on the lines our code writes.
 */
export function scanLogAttributesInterceptor(): ActivityInterceptors {
  let attributes: Record<string, string> = {};
  return {
    inbound: {
      execute(input, next) {
        attributes = scanAttributes(input.args[0]);
        // The header the workflow set wins: it is there for every activity, not only scan steps.
        const header = input.headers[CORRELATION_ID_HEADER];
        const fromHeader = header ? defaultPayloadConverter.fromPayload<unknown>(header) : undefined;
        if (typeof fromHeader === 'string') attributes = { ...attributes, correlationId: fromHeader };
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        return next({ ...input, ...attributes });
      },
    },
  };
}

export function scanAttributes(arg: unknown): Record<string, string> {
  if (typeof arg !== 'object' || arg === null) return {};
  const ref = arg as ScanRefLike;
  const attributes: Record<string, string> = {};
  if (typeof ref.scanId === 'string') attributes['scanId'] = ref.scanId;
  if (typeof ref.correlationId === 'string') attributes['correlationId'] = ref.correlationId;
  return attributes;
}
