import { createServer, type Server } from 'node:net';
import { Client, type Connection } from '@temporalio/client';
import type { ApiConfig } from '../config/api.config';
import { createTemporalConnection, TemporalModule } from './temporal.module';

/** A port that accepts nothing: every Temporal call fails UNAVAILABLE and is retried by gRPC. */
async function refusedAddress(): Promise<string> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

function moduleAgainst(address: string, sources?: string): TemporalModule {
  const connection = createTemporalConnection(address);
  const client = new Client({ connection, namespace: 'default' });
  const config = {
    ADVISORY_SYNC_SOURCES: sources,
    OSV_EXPORT_BASE_URL: undefined,
    TEMPORAL_TASK_QUEUE: 'temporal-module-spec',
    ADVISORY_SYNC_INTERVAL_HOURS: 6,
    rematchTaskQueue: 'temporal-module-spec-rematch',
  } as unknown as ApiConfig;
  return new TemporalModule(connection, client, config);
}

describe('TemporalModule shutdown', () => {
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  let previous: NodeJS.UncaughtExceptionListener[];

  beforeEach(() => {
    uncaught.length = 0;
    // Jest's own listener would fail whichever test runs when the timer fires; collect instead.
    previous = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', record);
  });
  afterEach(() => {
    process.removeListener('uncaughtException', record);
    for (const listener of previous) process.on('uncaughtException', listener);
  });

  it.each([
    ['removing the schedule (no sources)', undefined],
    ['ensuring the schedule', 'npm'],
  ])(
    'closing while the bootstrap call %s is still retrying throws nothing later',
    async (_name, sources) => {
      const module = moduleAgainst(await refusedAddress(), sources);
      module.onApplicationBootstrap();
      // Long enough for the first attempt to fail and gRPC to schedule its retry.
      await new Promise((resolve) => setTimeout(resolve, 150));
      await module.onApplicationShutdown();
      // Every retry the interceptor had scheduled has fired by now (its first delays are < 1 s).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(uncaught.map((error) => (error as Error).message)).toEqual([]);
    },
    30_000,
  );
});

describe('the Temporal connection after shutdown', () => {
  it('fails a call made after close as CANCELLED, through the promise, not from a timer', async () => {
    const module = moduleAgainst(await refusedAddress());
    await module.onApplicationShutdown();
    const connection = (module as unknown as { connection: Connection }).connection;
    const error = await connection.workflowService
      .getSystemInfo({})
      .then(() => null)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 1 /* CANCELLED */ });
  });
});
