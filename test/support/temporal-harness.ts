// One small harness for workflow tests (after sdk-typescript's `helpers(t)`): a connection to the
// server the global set-up started, a worker on a task queue derived from the test's name, and a
// workflow bundle built once per test file.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import {
  workflowBundlerOptions,
  workflowCorrelationInterceptorsPath,
  workflowsSourcePath,
} from '@repoguard/infrastructure';

let bundle: Promise<{ code: string }> | undefined;

export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: workflowsSourcePath(),
    workflowInterceptorModules: [workflowCorrelationInterceptorsPath()],
    webpackConfigHook: workflowBundlerOptions().webpackConfigHook,
    logger: undefined,
  });
  return bundle;
}

export function temporalAddress(): string {
  const address = process.env['TEMPORAL_ADDRESS'];
  if (!address)
    throw new Error('TEMPORAL_ADDRESS is not set: run through the integration or e2e Jest config');
  return address;
}

export const temporalNamespace = (): string => process.env['TEMPORAL_NAMESPACE'] ?? 'repoguard';

/** A task queue and id prefix no other test shares, readable in the Web UI. */
export function uniqueName(testName: string): string {
  const slug = testName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${slug}-${randomUUID().slice(0, 8)}`;
}

export interface TemporalHarness {
  readonly client: Client;
  readonly nativeConnection: NativeConnection;
  createWorker(
    options: Pick<WorkerOptions, 'taskQueue' | 'activities'> & Partial<WorkerOptions>,
  ): Promise<Worker>;
  close(): Promise<void>;
}

export async function createTemporalHarness(): Promise<TemporalHarness> {
  const address = temporalAddress();
  const namespace = temporalNamespace();
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    ...temporalHarnessOn(client, nativeConnection, namespace),
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

/** Workers on connections a test opened itself (its own server): closing them stays the test's. */
export function temporalHarnessOn(
  client: Client,
  nativeConnection: NativeConnection,
  namespace: string,
): Omit<TemporalHarness, 'close'> {
  return {
    client,
    nativeConnection,
    async createWorker(options) {
      return Worker.create({
        connection: nativeConnection,
        namespace,
        workflowBundle: await workflowBundle(),
        // Short grace: tests stop workers explicitly and should not wait on a long drain.
        shutdownGraceTime: '2 seconds',
        ...options,
      });
    },
  };
}
