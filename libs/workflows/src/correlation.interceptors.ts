// Not a workflow: the workflow side of the correlation-id header (bundled with every worker's
// workflows). The id arrives in the header of the signal or start that asked for the scan; each
// activity the run schedules gets the id of the request it works for (its ScanRef's), else the
// last one received, in the same header.
import { CORRELATION_ID_HEADER } from '@repoguard/contract';
import { defaultPayloadConverter, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

// Called once per workflow execution: the closure is that run's state.
export const interceptors: WorkflowInterceptorsFactory = () => {
  let lastReceived: string | undefined;
  const read = (headers: Record<string, unknown>) => {
    const payload = headers[CORRELATION_ID_HEADER];
    if (!payload) return;
    const id = defaultPayloadConverter.fromPayload<unknown>(payload as never);
    if (typeof id === 'string') lastReceived = id;
  };
  return {
    inbound: [
      {
        execute(input, next) {
          read(input.headers);
          return next(input);
        },
        handleSignal(input, next) {
          read(input.headers);
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity(input, next) {
          const fromInput = (input.args[0] as { correlationId?: unknown } | undefined)?.correlationId;
          const id = typeof fromInput === 'string' ? fromInput : lastReceived;
          if (id === undefined) return next(input);
          return next({
            ...input,
            headers: { ...input.headers, [CORRELATION_ID_HEADER]: defaultPayloadConverter.toPayload(id) },
          });
        },
      },
    ],
  };
};
