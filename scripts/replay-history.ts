// Replays workflow histories against the production workflow bundle (the interceptors the worker
// runs are in it) and exits 1 naming every history that no longer replays.
//
//   npm run replay -- <history.json | folder>...   files as `temporal workflow show --output json`
//                                                   writes them; a folder: every *.json beneath it
//   npm run replay -- --from-server [--address host:port] [--namespace ns] [--limit 200]
//                     [--since 7d | --open-only] [--workflow-type repoScanWorkflow ...]
//                     [--query '<visibility query>']
//       the pre-deploy check: the newest runs of the namespace (open ones whatever their age, closed
//       ones since --since) replayed against the bundle about to be deployed. --open-only: the runs
//       a deploy takes over, alone (before a deprecatePatch, closed runs of the old path may stay)
//
// The bundle: --bundle <file> or WORKFLOW_BUNDLE_PATH (what the worker image ships), else built
// from source with the production bundler options.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { SYNC_ADVISORIES_WORKFLOW } from '../libs/contract/src/advisory-sync.contract';
import { REPO_SCAN_WORKFLOW } from '../libs/contract/src/repo-scan.contract';
import { SELF_CHECK_WORKFLOW } from '../libs/contract/src/self-check.contract';
import { DEFAULT_TEMPORAL_NAMESPACE } from '../libs/contract/src/task-queues';
import { discardingWorkflowSpanSink } from '../libs/infrastructure/src/telemetry/temporal-tracing';
import { bundleWorkflows } from '../libs/infrastructure/src/temporal/workflow-bundler';

const WORKFLOW_TYPES = [REPO_SCAN_WORKFLOW, SYNC_ADVISORIES_WORKFLOW, SELF_CHECK_WORKFLOW];

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'from-server': { type: 'boolean', default: false },
      address: { type: 'string', default: process.env['TEMPORAL_ADDRESS'] ?? 'localhost:7233' },
      namespace: { type: 'string', default: process.env['TEMPORAL_NAMESPACE'] ?? DEFAULT_TEMPORAL_NAMESPACE },
      limit: { type: 'string', default: '200' },
      since: { type: 'string', default: '7d' },
      'open-only': { type: 'boolean', default: false },
      'workflow-type': { type: 'string', multiple: true },
      query: { type: 'string' },
      bundle: { type: 'string', default: process.env['WORKFLOW_BUNDLE_PATH'] },
    },
  });
  if (!values['from-server'] && positionals.length === 0) {
    throw new Error('usage: replay-history <history.json | folder>... | --from-server [options]');
  }
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const workflowBundle = {
    code: values.bundle
      ? readFileSync(values.bundle, 'utf8')
      : await bundleWorkflows({ logger: new DefaultLogger('ERROR') }),
  };

  let connection: Connection | undefined;
  let histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>;
  if (values['from-server']) {
    connection = await Connection.connect({ address: values.address });
    const client = new Client({ connection, namespace: values.namespace });
    const query = visibilityQuery(
      values['workflow-type'] ?? WORKFLOW_TYPES,
      values['open-only'] ? null : since(values.since),
      values.query,
    );
    console.log(`replaying up to ${values.limit} runs of ${values.namespace} at ${values.address}: ${query}`);
    histories = fromServer(client, query, positiveInteger(values.limit));
  } else {
    histories = historyFiles(positionals).map((file) => ({
      workflowId: file,
      history: JSON.parse(readFileSync(file, 'utf8')) as unknown,
    }));
  }

  const failed: string[] = [];
  let replayed = 0;
  try {
    // One replay worker for all of them; a history that fails does not stop the others.
    for await (const result of Worker.runReplayHistories(
      { workflowBundle, sinks: discardingWorkflowSpanSink() },
      histories,
    )) {
      const name = values['from-server'] ? `${result.workflowId} (run ${result.runId})` : result.workflowId;
      if (result.error) {
        failed.push(name);
        console.error(`replay failed: ${name}: ${result.error.name}: ${result.error.message}`);
      } else {
        replayed++;
        console.log(`replayed ${name}`);
      }
    }
  } finally {
    await connection?.close();
  }
  console.log(`${replayed} replayed, ${failed.length} failed`);
  if (replayed + failed.length === 0) console.warn('no history matched: nothing was checked');
  return failed.length > 0 ? 1 : 0;
}

/** Files as given, folders as every *.json beneath them (sorted: a stable order to read). */
function historyFiles(paths: readonly string[]): string[] {
  return paths.flatMap((entry) => {
    if (!statSync(entry).isDirectory()) return [entry];
    return readdirSync(entry, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => path.join(entry, name));
  });
}

/**
 * Open runs of the given types whatever their age (the new worker takes them over), and closed
 * ones started since `after` (null: none).
 */
function visibilityQuery(types: readonly string[], after: Date | null, extra?: string): string {
  const typeList = types.map((t) => `'${t.replace(/'/g, '')}'`).join(', ');
  const recent = after
    ? `(ExecutionStatus = 'Running' OR StartTime > '${after.toISOString()}')`
    : `ExecutionStatus = 'Running'`;
  return [`WorkflowType IN (${typeList})`, recent, ...(extra ? [`(${extra})`] : [])].join(' AND ');
}

/** `--since`: a duration back from now (90m, 24h, 7d) or a date. */
function since(value: string): Date {
  const match = /^(\d+)([mhd])$/.exec(value);
  if (match) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
    return new Date(Date.now() - Number(match[1]) * unit);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`--since: expected 90m, 24h, 7d or a date, got ${value}`);
  return date;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--limit: expected a positive integer, got ${value}`);
  return n;
}

/** The newest runs the query matches (visibility lists newest first), at most `limit`, with their histories. */
async function* fromServer(
  client: Client,
  query: string,
  limit: number,
): AsyncIterable<HistoryAndWorkflowId> {
  let taken = 0;
  for await (const run of client.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
    if (taken++ >= limit) return;
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    yield { workflowId: run.workflowId, history };
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`replay failed: ${(error as Error).name}: ${(error as Error).message}`);
    process.exit(1);
  },
);
