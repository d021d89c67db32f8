// Records one history per branch of the workflows (test/histories/*.scenarios.ts) from real runs on
// a Temporal dev server, with the production workflow bundle and stub activities, and writes each
// to test/fixtures/histories/<workflow>/<branch>.json. A file that exists is never rewritten: the
// histories are what earlier code recorded, and the workflow must keep replaying them.
// Usage: npm run record-histories -- [--only branch,...] [--out dir] [--address host:port --namespace ns]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { REPOGUARD_SEARCH_ATTRIBUTES } from '../libs/contract/src/search-attributes';
import { DEFAULT_TEMPORAL_NAMESPACE } from '../libs/contract/src/task-queues';
import { discardingWorkflowSpanSink } from '../libs/infrastructure/src/telemetry/temporal-tracing';
import { devServerFairnessArgs, findTemporalCli } from '../libs/infrastructure/src/temporal/temporal-cli';
import { bundleWorkflows } from '../libs/infrastructure/src/temporal/workflow-bundler';
import { recordingContext } from '../test/histories/history-recorder';
import { historyScenarios } from '../test/histories/scenarios';

const HISTORIES = path.resolve(__dirname, '../test/fixtures/histories');

// The server suggests continue-as-new past 4,096 events by default; the debounce scenario gets
// there in a few dozen signals instead of thousands (the other scenarios stay well below).
const SUGGEST_CONTINUE_AS_NEW_AFTER_EVENTS = 200;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      out: { type: 'string', default: HISTORIES },
      address: { type: 'string' },
      namespace: { type: 'string', default: DEFAULT_TEMPORAL_NAMESPACE },
    },
  });
  const only = values.only?.split(',').filter(Boolean);
  const out = path.resolve(values.out);
  const fileOf = (workflow: string, branch: string) => path.join(out, workflow, `${branch}.json`);
  const scenarios = historyScenarios.filter(
    (s) => !only || s.branches.some((branch) => only.includes(branch)),
  );
  const missing = scenarios.filter((s) => s.branches.some((b) => !existsSync(fileOf(s.workflow, b))));
  for (const s of scenarios.filter((s) => !missing.includes(s))) {
    console.log(`kept    ${s.workflow}/${s.branches.join(', ')} (recorded before; never rewritten)`);
  }
  if (missing.length === 0) return;

  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = values.address ? null : await startDevServer();
  const address = values.address ?? server!.address;
  const namespace = values.address ? values.namespace : DEFAULT_TEMPORAL_NAMESPACE;
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const workflowBundle = { code: await bundleWorkflows({ logger: new DefaultLogger('ERROR') }) };
    for (const scenario of missing) {
      console.log(`record  ${scenario.workflow}/${scenario.branches.join(', ')}: ${scenario.covers}`);
      const recorded = await scenario
        .record(recordingContext(client, nativeConnection, workflowBundle, scenario))
        .catch((error: unknown) => {
          // Told here: a worker the failure left running makes closing the connection fail below.
          console.error(`failed  ${scenario.workflow}/${scenario.branches.join(', ')}:`, error);
          throw error;
        });
      for (const branch of scenario.branches) {
        const history = recorded[branch];
        if (!history)
          throw new Error(`${scenario.workflow}/${branch}: the scenario recorded no history for it`);
        // What is committed must replay against the bundle it was recorded with.
        await Worker.runReplayHistory(
          { workflowBundle, sinks: discardingWorkflowSpanSink() },
          history,
          branch,
        );
        const file = fileOf(scenario.workflow, branch);
        if (existsSync(file)) continue;
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, `${historyToJSON(history)}\n`);
        console.log(`wrote   ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)`);
      }
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
    await server?.teardown();
  }
}

async function startDevServer(): Promise<TestWorkflowEnvironment> {
  const cli = findTemporalCli();
  if (!cli)
    throw new Error('No Temporal CLI found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin): pass --address');
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      ip: '127.0.0.1',
      namespace: DEFAULT_TEMPORAL_NAMESPACE,
      searchAttributes: [...REPOGUARD_SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'error' },
      extraArgs: [
        ...devServerFairnessArgs(),
        '--dynamic-config-value',
        `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AS_NEW_AFTER_EVENTS}`,
      ],
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
