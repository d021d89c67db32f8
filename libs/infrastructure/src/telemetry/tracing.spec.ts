import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Resource } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import type { ClientOptions } from '@temporalio/client';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { loadConfig } from '../config/load-config';
import { SharedConfig } from '../config/shared-config';
import { workflowTracingInterceptorsPath } from '../temporal/workflow-bundler';
import { withClientTracing, withWorkerTracing } from './temporal-tracing';
import { activeTracing, startTracingFromEnv, type Tracing } from './tracing';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

// What a running tracing hands the Temporal wiring; nothing here exports anywhere.
const tracing: Tracing = {
  serviceName: 'test',
  spanProcessor: new SimpleSpanProcessor(new InMemorySpanExporter()),
  resource: new Resource({}),
  shutdown: async () => undefined,
};

const existingActivityInterceptor: ActivityInterceptorsFactory = () => ({});
const fromSource: WorkerOptions = {
  taskQueue: 'q',
  workflowsPath: '/src/workflows.ts',
  interceptors: { activity: [existingActivityInterceptor], workflowModules: ['/src/other.interceptors.ts'] },
};
const prebuilt: WorkerOptions = { taskQueue: 'q', workflowBundle: { code: '' } };

describe('startTracingFromEnv', () => {
  it.each([[undefined], [''], ['  '], ['collector:4318'], ['ftp://collector:4318']])(
    'leaves tracing off for OTEL_EXPORTER_OTLP_ENDPOINT=%p',
    (endpoint) => {
      expect(
        startTracingFromEnv('repoguard-test', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }),
      ).toBeUndefined();
      expect(activeTracing()).toBeUndefined();
    },
  );

  // A process of its own: Jest's module registry is not Node's, and only Node's shows what loaded.
  // The no-op @opentelemetry/api does not count: prom-client loads it whatever we do.
  function otelModulesLoaded(env: Record<string, string>): number {
    const script = `
      require('./apps/api/src/tracing');
      require('./libs/infrastructure/src/index');
      require('./apps/api/src/temporal/temporal.module');
      const loaded = Object.keys(require.cache).filter((f) => /@opentelemetry\\/(?!api\\/)|interceptors-opentelemetry/.test(f));
      console.log(loaded.length);
      require('./libs/infrastructure/src/telemetry/tracing').activeTracing()?.shutdown();
    `;
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'], ...env },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(result.stderr);
    return Number(result.stdout.trim());
  }

  it('loads no OpenTelemetry SDK or instrumentation when off, and both when an endpoint is set', () => {
    expect(otelModulesLoaded({ OTEL_SERVICE_NAME: 'x' })).toBe(0);
    expect(otelModulesLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toBeGreaterThan(0);
  }, 60_000);
});

describe('OTEL_EXPORTER_OTLP_ENDPOINT in config', () => {
  const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/repoguard' };

  it('accepts an http(s) collector URL, or nothing', () => {
    expect(loadConfig(SharedConfig, { ...base }).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(
      loadConfig(SharedConfig, { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' })
        .OTEL_EXPORTER_OTLP_ENDPOINT,
    ).toBe('http://otel-collector:4318');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() =>
      loadConfig(SharedConfig, { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' }),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT is "otel-collector:4318": must be an http\(s\) URL/);
  });
});

describe('withWorkerTracing', () => {
  it('changes nothing when tracing is off and workflows are bundled at start', () => {
    expect(withWorkerTracing(fromSource, undefined)).toBe(fromSource);
  });

  it('gives a prebuilt bundle, which holds the interceptors anyway, a sink that drops their spans', () => {
    const options = withWorkerTracing(prebuilt, undefined);
    expect(options.interceptors).toBeUndefined();
    expect(Object.keys(options.sinks ?? {})).toEqual(['exporter']);
    expect(options.sinks?.['exporter']?.['export']).toEqual({
      fn: expect.any(Function),
      callDuringReplay: false,
    });
  });

  it('adds the activity interceptors, the workflow module and the span sink after what is there', () => {
    const options = withWorkerTracing(fromSource, tracing);
    expect(options.interceptors?.activity).toHaveLength(2);
    expect(options.interceptors?.activity?.[0]).toBe(existingActivityInterceptor);
    expect(options.interceptors?.workflowModules).toEqual([
      '/src/other.interceptors.ts',
      workflowTracingInterceptorsPath(),
    ]);
    expect(options.sinks?.['exporter']).toBeDefined();
  });

  it('does not ask a prebuilt bundle for workflow modules (the SDK would ignore them with a warning)', () => {
    const options = withWorkerTracing(prebuilt, tracing);
    expect(options.interceptors?.workflowModules).toBeUndefined();
    expect(options.interceptors?.activity).toHaveLength(1);
    expect(options.sinks?.['exporter']).toBeDefined();
  });
});

describe('withClientTracing', () => {
  const options: ClientOptions = { namespace: 'n', interceptors: { workflow: [{}] } };

  it('changes nothing when tracing is off', () => {
    expect(withClientTracing(options, undefined)).toBe(options);
  });

  it("appends Temporal's OpenTelemetry client interceptor (it covers signal-with-start)", () => {
    const workflow = withClientTracing(options, tracing).interceptors?.workflow;
    expect(workflow).toEqual([{}, expect.any(OpenTelemetryWorkflowClientInterceptor)]);
    expect(typeof (workflow as OpenTelemetryWorkflowClientInterceptor[])[1]!.signalWithStart).toBe(
      'function',
    );
  });
});
