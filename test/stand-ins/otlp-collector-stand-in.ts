import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { sendJson } from './send-json';

/** One span as a collector stores it, flattened from OTLP's resource/scope nesting. */
export interface CollectedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  /** The resource's `service.name`. */
  readonly service: string;
  readonly scope: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;

export interface OtlpCollectorStandIn {
  /** What OTEL_EXPORTER_OTLP_ENDPOINT should say (no trailing slash). */
  readonly url: string;
  /** How many export requests arrived, accepted or not. */
  readonly requests: number;
  spans(): CollectedSpan[];
  trace(traceId: string): CollectedSpan[];
  /** Polls until `ready` holds for the spans received so far (exports arrive in batches). */
  waitFor(ready: (spans: CollectedSpan[]) => boolean, timeoutMs?: number): Promise<CollectedSpan[]>;
  close(): Promise<void>;
}

// OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding), the parts kept.
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpExportRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        attributes?: OtlpKeyValue[];
      }[];
    }[];
  }[];
}

/**
 * An OpenTelemetry collector on the loopback that accepts OTLP/HTTP JSON on `POST /v1/traces`
 * (what exporter-trace-otlp-http sends) and keeps the spans in memory for assertions.
 */
export async function startOtlpCollectorStandIn(): Promise<OtlpCollectorStandIn> {
  const received: CollectedSpan[] = [];
  let requests = 0;

  const server = createServer((req, res) => {
    requests++;
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/traces') {
      sendJson(res, 404, { message: 'only POST /v1/traces' });
      return;
    }
    if (!(req.headers['content-type'] ?? '').includes('application/json')) {
      sendJson(res, 415, { message: 'this stand-in speaks OTLP/JSON only' });
      return;
    }
    readBody(req).then(
      (body) => {
        try {
          received.push(...flatten(JSON.parse(body) as OtlpExportRequest));
          sendJson(res, 200, {});
        } catch (error) {
          sendJson(res, 400, { message: String(error) });
        }
      },
      (error: unknown) => sendJson(res, 400, { message: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    spans: () => [...received],
    trace: (traceId) => received.filter((span) => span.traceId === traceId),
    async waitFor(ready, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!ready([...received])) {
        if (Date.now() > deadline) {
          throw new Error(
            `spans not as expected within ${timeoutMs} ms; received ${received.length}:\n` +
              received.map((s) => `  ${s.service} ${s.traceId} ${s.name}`).join('\n'),
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return [...received];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function flatten(request: OtlpExportRequest): CollectedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind ?? 0,
        service: String(resource['service.name'] ?? ''),
        scope: scopeSpans.scope?.name ?? '',
        attributes: attributesOf(span.attributes),
      })),
    );
  });
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

function valueOf(value: OtlpAnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
}
