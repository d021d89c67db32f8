import * as path from 'node:path';
import { Client, Connection, ScheduleNotFoundError, WorkflowIdConflictPolicy } from '@temporalio/client';
import {
  ADVISORY_SYNC_WORKFLOW_ID,
  DEFAULT_SCAN_TASK_QUEUE,
  DEFAULT_TEMPORAL_NAMESPACE,
  SYNC_ADVISORIES_WORKFLOW,
  type syncAdvisoriesWorkflowType,
} from '@repoguard/contract';
import { ADVISORY_SYNC_SCHEDULE_ID, triggerAdvisorySync } from '@repoguard/infrastructure';
import { type CommandIo, parseCommandArgs } from '../command-io';
import { advisoryDiagnosticLines } from './advisory-diagnostics.output';
import { advisorySourcesFromArgs } from './advisory-sources.args';

export const ADVISORIES_SYNC_USAGE = `Usage: repoguard advisories:sync [<zip-dir-json-or-url>...] [--ecosystem <name>]... [--no-rematch] [--wait] [--json]

Options:
  --ecosystem <name>  sync that ecosystem's export from OSV_EXPORT_BASE_URL (repeatable)
  --no-rematch        import only, re-match nothing (refused while the schedule owns syncs)
  --wait              wait for the sync and print what it did
  --json              print the answer as JSON
  -h, --help          this help

Starts the syncAdvisories workflow on the running system (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
TEMPORAL_TASK_QUEUE): the worker imports each export into the advisory mirror, then re-matches the
stored snapshots of every repository a changed advisory concerns (scan history: trigger advisory),
without fetching any repository. Paths are read by the worker. --ecosystem npm (repeatable) reads
that ecosystem's export from OSV_EXPORT_BASE_URL (default OSV's bucket). A sync already running is
joined, not doubled. --wait waits for it and prints what it did.

When the API keeps the advisory sync schedule (ADVISORY_SYNC_SOURCES; schedule id
ADVISORY_SYNC_SCHEDULE_ID, default advisory-sync), the schedule owns syncs: this triggers it (its
own sources; give none, or the same) and never starts a second sync beside a running one; --no-rematch
is refused then (exit 2), since the schedule's sync re-matches.

Exit codes: 0 started (or, with --wait, done), 1 Temporal cannot be reached or the sync failed,
2 usage errors.`;

/** For operators and the demo. Exit 1 when Temporal cannot be reached or the sync fails. */
export async function runAdvisoriesSync(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { values, positionals } = parse(argv);
  // The worker reads paths, so they are made absolute here; URLs stay as they are.
  const sources = advisorySourcesFromArgs(positionals, values.ecosystem ?? [], env, false).map((p) =>
    /^[a-z][a-z0-9+.-]*:\/\//i.test(p) ? p : path.resolve(io.cwd, p),
  );

  const taskQueue = env['TEMPORAL_TASK_QUEUE'] || DEFAULT_SCAN_TASK_QUEUE;
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: env['TEMPORAL_ADDRESS'] || '127.0.0.1:7233' });
    const client = new Client({
      connection,
      namespace: env['TEMPORAL_NAMESPACE'] || DEFAULT_TEMPORAL_NAMESPACE,
    });
    const scheduleId = env['ADVISORY_SYNC_SCHEDULE_ID'] || ADVISORY_SYNC_SCHEDULE_ID;
    const schedule = await scheduledSync(client, scheduleId);
    const scheduled = schedule?.sources ?? null;
    // A triggered sync runs with the schedule's input: silently re-matching after --no-rematch
    // would do what the operator asked not to.
    if (schedule && values['no-rematch'] && schedule.rematch) {
      io.err(
        `repoguard: the advisory sync schedule ${scheduleId} owns syncs and re-matches; --no-rematch cannot ` +
          'apply to the sync it triggers (run without --no-rematch, or remove the schedule by unsetting ADVISORY_SYNC_SOURCES)',
      );
      return 2;
    }
    if (scheduled && sources.length > 0 && !sameSources(sources, scheduled)) {
      io.err(
        `repoguard: the advisory sync schedule ${scheduleId} owns syncs, from ${scheduled.join(', ')}; ` +
          'run advisories:sync without sources to trigger it, or change ADVISORY_SYNC_SOURCES',
      );
      return 2;
    }
    if (!scheduled && sources.length === 0) {
      io.err(
        `repoguard: give at least one export (path or URL) or --ecosystem (there is no advisory sync schedule ${scheduleId} to trigger)`,
      );
      return 2;
    }
    const served = scheduled ? await triggerAdvisorySync(client, { scheduleId }) : null;
    const started = served
      ? null
      : await client.workflow.start<syncAdvisoriesWorkflowType>(SYNC_ADVISORIES_WORKFLOW, {
          taskQueue,
          workflowId: ADVISORY_SYNC_WORKFLOW_ID,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          args: [
            {
              sources,
              rematch: !values['no-rematch'],
              scanTaskQueue: taskQueue,
              rematchTaskQueue: env['TEMPORAL_REMATCH_TASK_QUEUE'] || `${taskQueue}-rematch`,
            },
          ],
        });
    const runId = served ? served.runId : started!.firstExecutionRunId;
    // The run's chain (continue-as-new followed), whichever way it was started.
    const handle =
      started ??
      client.workflow.getHandle<syncAdvisoriesWorkflowType>(served!.workflowId, undefined, {
        firstExecutionRunId: runId,
      });
    if (!values.wait) {
      const how = served
        ? served.joined
          ? 'already running, joined'
          : `triggered on schedule ${scheduleId}`
        : 'started';
      io.out(`advisory sync ${handle.workflowId} ${how} (run ${runId}); see it in the Temporal Web UI`);
      return 0;
    }
    const result = await handle.result();
    if (values.json) {
      io.out(JSON.stringify(result, null, 2));
      return 0;
    }
    for (const s of result.sources) {
      io.out(
        `${s.source}: ${s.read} read, ${s.inserted} new, ${s.updated} updated, ${s.unchanged} unchanged, ` +
          `${s.withdrawn} withdrawn, ${s.skipped} skipped`,
      );
      for (const line of advisoryDiagnosticLines(s.diagnostics)) io.out(line);
    }
    io.out(
      `${result.affectedRepos} repositories affected, ${result.scansRequested} re-match scans requested`,
    );
    return 0;
  } catch (error) {
    io.err(`repoguard: advisory sync failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await connection?.close();
  }
}

/** The sources of the schedule that owns syncs and whether it re-matches, or null when there is none. */
async function scheduledSync(
  client: Client,
  scheduleId: string,
): Promise<{ sources: string[]; rematch: boolean } | null> {
  try {
    const { action } = await client.schedule.getHandle(scheduleId).describe();
    const input =
      action.type === 'startWorkflow'
        ? (action.args?.[0] as { sources?: string[]; rematch?: boolean } | undefined)
        : undefined;
    return { sources: [...(input?.sources ?? [])], rematch: input?.rematch !== false };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}

const sameSources = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

function parse(argv: readonly string[]) {
  return parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      ecosystem: { type: 'string', multiple: true },
      'no-rematch': { type: 'boolean' },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
}
