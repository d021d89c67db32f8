import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { Activities } from '@repoguard/activities';
import { createPersistActivity } from '../../libs/activities/src/scan/persist.activity';
import { DisconnectRepository, ReconcileAbandonedScans } from '@repoguard/application';
import { scanForRequestQuery, scanRequestedSignal } from '@repoguard/contract';
import type { OsvRecord, ScanTarget } from '@repoguard/domain';
import {
  dropDatabase,
  MikroOrmFindingRepository,
  MikroOrmScanRepository,
  MikroOrmSnapshotRepository,
  MikroOrmUnitOfWork,
  MikroOrmVulnerabilityCache,
  prepareDatabase,
  TemporalScanCanceller,
  TemporalScanRunLookup,
} from '@repoguard/infrastructure';
import { freshDatabaseUrl } from '../support/fresh-database';
import { packageLockV3 } from '../support/manifest-fixtures';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';

// Scan rows and workflows at the end of their life, on the real stack: a row whose run ended
// without an outcome is closed by the reconciler (one whose run is open is not), and a disconnect
// cancels the repository's workflow while a step is in flight, after which nothing is written.
describe('the end of a scan: reconciler, disconnect', () => {
  // A database of its own: the reconciler looks at every unfinished row, other tests' included.
  const databaseUrl = freshDatabaseUrl('e2e_lifecycle');
  const run = randomUUID().slice(0, 8);
  const advisory: OsvRecord = {
    id: `RG-LIFE-${run}`,
    modified: '2026-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: 'left-pad' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
      },
    ],
  };
  let harness: ScanHarness;

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    harness = await startScanHarness({
      databaseUrl,
      name: 'scan-lifecycle',
      advisories: [advisory],
      // Long enough that a follow-up run is still waiting when the test looks at it (a bound, not
      // a timed assertion: the outcome asserted is the same if it has started scanning).
      quietWindowMs: 2_000,
      maxWaitMs: 4_000,
      heartbeatTimeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    await harness?.close();
    await dropDatabase(databaseUrl);
  });

  const reconcile = () =>
    new ReconcileAbandonedScans(
      new MikroOrmUnitOfWork(harness.orm.em),
      new TemporalScanRunLookup(harness.temporal.client),
    ).execute({ graceMs: 0, limit: 100 });

  const scanRow = async (scanId: string) =>
    (await harness.orm.em
      .fork()
      .getKnex()('scans')
      .where({ id: scanId })
      .first('status', 'error_code', 'run_id', 'completed_at')) as
      | { status: string; error_code: string | null; run_id: string | null; completed_at: Date | null }
      | undefined;

  /**
   * A step held until the test lets it go, heartbeating meanwhile so a cancellation reaches it:
   * `at(n)` settles when the n-th call has begun; a cancelled call goes on (`thenCancelled`).
   */
  function heldStep<K extends 'osvQuery' | 'persist'>(
    then: Activities[K],
    release: Promise<void>,
  ): { step: Activities[K]; at: (n: number) => Promise<void> } {
    const begun: (() => void)[] = [];
    const started: Promise<void>[] = [];
    const nth = (n: number) => (started[n] ??= new Promise<void>((resolve) => (begun[n] = resolve)));
    let calls = 0;
    const step = (async (input: Parameters<Activities[K]>[0]) => {
      const n = ++calls;
      void nth(n);
      begun[n]!();
      const context = Context.current();
      while (!context.cancellationSignal.aborted) {
        context.heartbeat();
        const released = await Promise.race([
          release.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100)),
        ]);
        if (released) break;
      }
      return (then as (i: typeof input) => Promise<unknown>)(input);
    }) as unknown as Activities[K];
    return { step, at: nth };
  }

  async function connected(name: string): Promise<ScanTarget> {
    const repo = await harness.github.createRepo('acme', name);
    await repo.commit({ 'package-lock.json': packageLockV3({ 'left-pad': '1.0.0' }) });
    return harness.connectRepo('acme', name);
  }

  it('closes the row of a terminated run as SCAN_ABANDONED, and leaves rows whose run is open', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = heldStep<'osvQuery'>(async () => ({ queried: 1, vulnerabilities: 0, fetched: 0 }), released);
    await harness.stopWorker();
    await harness.startWorker({ osvQuery: held.step });
    const target = await connected(`abandoned-${run}`);
    const receipt = await harness.request(target, { requestId: 'first' });
    const handle = harness.temporal.client.workflow.getHandle(receipt.workflowId, receipt.runId);
    await held.at(1);
    const first = await handle.query(scanForRequestQuery, 'first');
    expect(first).toMatchObject({ servedByThisRun: true });

    // A request mid-scan is promised to the follow-up run: its row names the run that promised it.
    await handle.signal(scanRequestedSignal, { trigger: 'api', requestedBy: 'e2e', requestId: 'second' });
    const second = await handle.query(scanForRequestQuery, 'second');
    expect(second).toMatchObject({ servedByThisRun: false });
    await new MikroOrmScanRepository(harness.orm.em).queue({
      scanId: second!.scanId,
      orgId: target.orgId,
      repoId: target.repoId,
      workflowId: receipt.workflowId,
      runId: null,
      promisedByRunId: receipt.runId,
      trigger: 'api',
      requestedBy: 'e2e',
      ref: null,
    });

    // Both runs open (the second only promised): nothing is touched.
    expect(await reconcile()).toMatchObject({ abandoned: 0, open: 2, unknown: 0 });
    expect(await scanRow(first!.scanId)).toMatchObject({ run_id: receipt.runId, completed_at: null });

    // The first scan ends; its run continues as new with the promised scan, which waits for its
    // quiet window or scans: either way, the chain is followed to a run that is open.
    release();
    await expect(scanRow(first!.scanId)).resolves.toBeDefined();
    const latest = harness.temporal.client.workflow.getHandle(receipt.workflowId);
    await waitFor(async () => (await handle.describe()).status.name === 'CONTINUED_AS_NEW');
    expect((await scanRow(first!.scanId))?.status).toBe('COMPLETED');
    expect(await reconcile()).toMatchObject({ abandoned: 0, open: 1 });

    // Terminated: nothing in the workflow records the outcome. Before the reconciler, the row stays
    // unfinished for ever (what issue 16 point 5 saw); after it, it is final.
    await latest.terminate('test: an operator terminated the scan');
    const stranded = await scanRow(second!.scanId);
    expect(['QUEUED', 'FETCHING', 'PARSING', 'MATCHING']).toContain(stranded?.status);
    expect(await reconcile()).toMatchObject({ abandoned: 1, open: 0 });
    expect(await scanRow(second!.scanId)).toMatchObject({ status: 'FAILED', error_code: 'SCAN_ABANDONED' });
    expect((await scanRow(second!.scanId))?.completed_at).not.toBeNull();
    // Closed once: a second round finds nothing to do.
    expect(await reconcile()).toMatchObject({ checked: 0 });
  });

  it('cancels the workflow on disconnect while a step is in flight; nothing is written after it', async () => {
    const em = harness.orm.em;
    const persist = createPersistActivity({
      snapshots: new MikroOrmSnapshotRepository(em),
      vulnerabilityCache: new MikroOrmVulnerabilityCache(em),
      findings: new MikroOrmFindingRepository(em),
      scans: new MikroOrmScanRepository(em),
      now: () => new Date(),
    });
    // Held until the cancellation reaches it, then it goes on into the real persist: a step that
    // was mid-read when the repository went away.
    const held = heldStep<'persist'>(persist, new Promise<void>(() => undefined));
    await harness.stopWorker();
    await harness.startWorker({ persist: held.step });
    const target = await connected(`disconnected-${run}`);
    const receipt = await harness.request(target, { requestId: 'only' });
    const handle = harness.temporal.client.workflow.getHandle(receipt.workflowId, receipt.runId);
    await held.at(1);

    const uow = new MikroOrmUnitOfWork(em);
    await new DisconnectRepository(uow, new TemporalScanCanceller(harness.temporal.client)).execute({
      caller: {
        scope: { orgIds: [target.orgId] },
        actor: { actorType: 'system', actorId: null, correlationId: null, ip: null },
      },
      orgId: target.orgId,
      repoId: target.repoId,
      purge: false,
    });

    // Cancelled, not terminated: the workflow saw it (and a failure record can run).
    const outcome = await handle.result().catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    expect((outcome as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    const findings = (await em
      .fork()
      .getKnex()('findings')
      .where({ repo_id: target.repoId })
      .count({ n: '*' })) as { n: string }[];
    expect(Number(findings[0]!.n)).toBe(0);
    // Whatever the run recorded, the reconciler leaves the row final.
    await reconcile();
    const rows = (await em.fork().getKnex()('scans').where({ repo_id: target.repoId }).select('status')) as {
      status: string;
    }[];
    expect(rows.map((r) => r.status)).toEqual(['FAILED']);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
