import type { ClientOptions } from '@temporalio/client';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import { workflowTracingInterceptorsPath } from '../temporal/workflow-bundler';
import { activeTracing, type Tracing } from './tracing';

type OtelClientModule = typeof import('@temporalio/interceptors-opentelemetry/lib/client');
type OtelWorkerModule = typeof import('@temporalio/interceptors-opentelemetry/lib/worker');

// Loaded only when tracing is on (see tracing.ts for why these are required, not imported).
function load<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id) as T;
}

/**
 * Client options with Temporal's OpenTelemetry client interceptor when tracing is on: it wraps
 * start, signal-with-start (what the API sends), signal and query in a span and carries the
 * trace context to the workflow in a header. Off: the options as given.
 */
export function withClientTracing(
  options: ClientOptions,
  tracing: Tracing | undefined = activeTracing(),
): ClientOptions {
  if (!tracing) return options;
  const { OpenTelemetryWorkflowClientInterceptor } = load<OtelClientModule>(
    '@temporalio/interceptors-opentelemetry/lib/client',
  );
  const existing = options.interceptors?.workflow ?? [];
  if (!Array.isArray(existing)) {
    throw new Error('withClientTracing: workflow client interceptors must be given as an array');
  }
  return {
    ...options,
    interceptors: {
      ...options.interceptors,
      workflow: [...existing, new OpenTelemetryWorkflowClientInterceptor()],
    },
  };
}

/**
 * Worker options with workflow and activity spans when tracing is on. Workflow spans are made in
 * the sandbox and leave it through the `exporter` sink into this process's span pipeline. From
 * source, the workflow interceptors are bundled only when tracing is on; a prebuilt bundle may hold
 * them (a worker that does not trace loads the untraced one beside it when there is one:
 * prebuiltBundleFor), so with tracing off it gets a sink that drops the spans it reports.
 */
export function withWorkerTracing(
  options: WorkerOptions,
  tracing: Tracing | undefined = activeTracing(),
): WorkerOptions {
  const prebuilt = options.workflowBundle !== undefined;
  if (!tracing) {
    return prebuilt ? { ...options, sinks: { ...options.sinks, ...discardingWorkflowSpanSink() } } : options;
  }
  const {
    makeWorkflowExporter,
    OpenTelemetryActivityInboundInterceptor,
    OpenTelemetryActivityOutboundInterceptor,
  } = load<OtelWorkerModule>('@temporalio/interceptors-opentelemetry/lib/worker');
  const interceptors = options.interceptors ?? {};
  return {
    ...options,
    interceptors: {
      ...interceptors,
      activity: [
        ...(interceptors.activity ?? []),
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          // Puts trace and span ids on the activity's log lines.
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      ...(prebuilt
        ? {}
        : { workflowModules: [...(interceptors.workflowModules ?? []), workflowTracingInterceptorsPath()] }),
    },
    sinks: {
      ...options.sinks,
      exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource),
    },
  };
}

/** The workflow interceptors' sink, doing nothing: for a prebuilt bundle with tracing off. */
export function discardingWorkflowSpanSink(): InjectedSinks<{
  exporter: { export(spans: unknown[]): void };
}> {
  return { exporter: { export: { fn: () => undefined, callDuringReplay: false } } };
}
