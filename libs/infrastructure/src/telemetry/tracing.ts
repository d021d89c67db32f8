import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface TracingOptions {
  /** `service.name` on every span: repoguard-api, repoguard-worker. */
  readonly serviceName: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `${endpoint}/v1/traces` as JSON. */
  readonly endpoint: string;
}

export interface Tracing {
  readonly serviceName: string;
  /** The export pipeline; Temporal's workflow span sink feeds the sandbox's spans into it too. */
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  /** Exports what is buffered and stops; call on every exit path or the last spans are lost. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

// Required on demand, never imported: a process without an endpoint loads no SDK, patches no
// module and pays nothing. Types above are erased at compile time.
function load<T>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id) as T;
}

/**
 * Starts OpenTelemetry tracing for this process: HTTP server and client spans (node:http and
 * fetch/undici, which Octokit and the OSV client use) and PostgreSQL queries, exported in batches
 * over OTLP/HTTP. Instrumentation patches `http` and `pg` as they are required, so this must run
 * before anything loads them. Idempotent: a second call returns the running instance.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (active) return active;
  const { NodeTracerProvider } = load<typeof import('@opentelemetry/sdk-trace-node')>(
    '@opentelemetry/sdk-trace-node',
  );
  const { BatchSpanProcessor } = load<typeof import('@opentelemetry/sdk-trace-base')>(
    '@opentelemetry/sdk-trace-base',
  );
  const { Resource } = load<typeof import('@opentelemetry/resources')>('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME } = load<typeof import('@opentelemetry/semantic-conventions')>(
    '@opentelemetry/semantic-conventions',
  );
  const { OTLPTraceExporter } = load<typeof import('@opentelemetry/exporter-trace-otlp-http')>(
    '@opentelemetry/exporter-trace-otlp-http',
  );
  const { registerInstrumentations } = load<typeof import('@opentelemetry/instrumentation')>(
    '@opentelemetry/instrumentation',
  );
  const { HttpInstrumentation } = load<typeof import('@opentelemetry/instrumentation-http')>(
    '@opentelemetry/instrumentation-http',
  );
  const { UndiciInstrumentation } = load<typeof import('@opentelemetry/instrumentation-undici')>(
    '@opentelemetry/instrumentation-undici',
  );
  const { PgInstrumentation } = load<typeof import('@opentelemetry/instrumentation-pg')>(
    '@opentelemetry/instrumentation-pg',
  );

  const resource = new Resource({ [ATTR_SERVICE_NAME]: options.serviceName });
  // BatchSpanProcessor reads OTEL_BSP_* (schedule delay, queue size) from the environment.
  const spanProcessor = new BatchSpanProcessor(
    new OTLPTraceExporter({ url: `${options.endpoint.replace(/(?<!\/)\/+$/, '')}/v1/traces` }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Global provider, AsyncLocalStorage context and W3C trace-context propagation.
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Outgoing calls and queries are traced only inside a request or an activity: on their own
      // (the worker reading the SDK's metrics at each scrape, migrations, gauges) they are noise,
      // as are probes and scrapes every few seconds.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(?:health|metrics)(?:\/|\?|$)/.test(request.url ?? ''),
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });

  let stopping: Promise<void> | undefined;
  const tracing: Tracing = {
    serviceName: options.serviceName,
    spanProcessor,
    resource,
    shutdown() {
      stopping ??= (async () => {
        unregister();
        await provider.shutdown();
        if (active === tracing) active = undefined;
      })();
      return stopping;
    },
  };
  active = tracing;
  return tracing;
}

/** The tracing this process started, if any: wiring adds Temporal's interceptors only then. */
export function activeTracing(): Tracing | undefined {
  return active;
}

/**
 * The one place the standard OTel variables are read before config loads (see apps' tracing.ts):
 * tracing must start before the app's modules load. SharedConfig validates the same variables at
 * boot, so a malformed endpoint is left alone here and reported there.
 */
export function startTracingFromEnv(
  defaultServiceName: string,
  env: Record<string, string | undefined> = process.env,
): Tracing | undefined {
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (!endpoint || !isHttpUrl(endpoint)) return undefined;
  const serviceName = env['OTEL_SERVICE_NAME']?.trim() || defaultServiceName;
  return startTracing({ serviceName, endpoint });
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
