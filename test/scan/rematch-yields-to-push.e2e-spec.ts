import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { OsvRecord } from '@repoguard/domain';
import {
  FindingEntity,
  MikroOrmScanRepository,
  MikroOrmSnapshotRepository,
  ScanEntity,
} from '@repoguard/infrastructure';
import { createBeginRematchActivity } from '../../libs/activities/src/scan/begin-rematch.activity';
import { packageLockV3 } from '../support/manifest-fixtures';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';

// Issue 16 points 1 and 2 with the real steps, database and GitHub stand-in: a push that arrives
// while a re-match of the repository runs is not held back by it, and the re-match (an older
// snapshot's) writes nothing over the push's findings. Only the re-match's first step is slowed:
// it waits (heartbeating) until the push's scan completed, which never happens while pushes wait
// behind re-matches, so a bound lets it go on then.
const run = randomUUID().slice(0, 8);
const PKG = `rg-yield-${run}`;
const ADVISORIES: OsvRecord[] = [
  {
    id: `RG-YIELD-${run}`,
    modified: '2026-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: PKG },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
      },
    ],
  },
];

describe('a push arriving during a re-match, end to end', () => {
  let harness: ScanHarness;

  beforeAll(async () => {
    harness = await startScanHarness({
      name: 'rematch-yields-e2e',
      advisories: ADVISORIES,
      quietWindowMs: 300,
      // A cancelled step hears of it at its next heartbeat flush (80 % of this).
      heartbeatTimeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('scans the push at once; the re-match closes SUPERSEDED and marks nothing fixed', async () => {
    const repo = await harness.github.createRepo('acme', `yield-${run}`);
    await repo.commit({ 'package-lock.json': packageLockV3({ [PKG]: '1.0.0' }) }, 'vulnerable');
    const target = await harness.connectRepo('acme', `yield-${run}`);
    await harness.request(target, { trigger: 'api', requestedBy: 'user:alice' });
    const first = await harness.waitForScan(target);
    expect(first).toMatchObject({ phase: 'COMPLETED' });
    const em = () => harness.orm.em.fork();
    const openAtFirst = await em().find(FindingEntity, { repoId: target.repoId });
    expect(openAtFirst.map((f) => [f.version, f.status])).toEqual([['1.0.0', 'open']]);
    const stored = await em().findOneOrFail(ScanEntity, { id: first.scanId });

    // The re-match's first step waits until the push's scan completed (or 20 s at most).
    let pushScanned = false;
    let rematchCancelled: boolean | undefined;
    let rematchBegun!: () => void;
    const begun = new Promise<void>((resolve) => (rematchBegun = resolve));
    const realBeginRematch = createBeginRematchActivity({
      scans: new MikroOrmScanRepository(harness.orm.em),
      snapshots: new MikroOrmSnapshotRepository(harness.orm.em),
    });
    await harness.stopWorker();
    await harness.startWorker({
      beginRematch: async (input) => {
        rematchBegun();
        const until = Date.now() + 20_000;
        while (!pushScanned && Date.now() < until) {
          Context.current().heartbeat();
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        rematchCancelled = Context.current().cancellationSignal.aborted;
        return realBeginRematch(input);
      },
    });

    await harness.request(target, {
      trigger: 'advisory',
      requestedBy: 'sync',
      snapshotId: stored.snapshotId!,
      taskQueue: harness.rematchTaskQueue,
    });
    await begun;
    // The fix is pushed while the re-match runs.
    const fixed = await repo.commit({ 'package-lock.json': packageLockV3({ [PKG]: '2.0.0' }) }, 'upgrade');
    await harness.request(target, { trigger: 'push', requestedBy: 'github:push' });
    const result = await harness.waitForScan(target);
    pushScanned = true;

    expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: fixed });
    const scans = await em().find(ScanEntity, { repoId: target.repoId }, { orderBy: { createdAt: 'asc' } });
    // The push did not wait for the re-match: the re-match never completed, it was closed for it.
    expect(scans.map((s) => [s.trigger, s.status])).toEqual([
      ['api', 'COMPLETED'],
      ['advisory', 'SUPERSEDED'],
      ['push', 'COMPLETED'],
    ]);
    // Its step was cancelled; once it ends, it writes nothing over the push's findings.
    for (let i = 0; i < 100 && rematchCancelled === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rematchCancelled).toBe(true);
    const findings = await em().find(FindingEntity, { repoId: target.repoId });
    expect(findings.map((f) => [f.version, f.status])).toEqual([['1.0.0', 'fixed']]);
    const after = await em().find(ScanEntity, { repoId: target.repoId }, { orderBy: { createdAt: 'asc' } });
    expect(after.map((s) => s.status)).toEqual(['COMPLETED', 'SUPERSEDED', 'COMPLETED']);
  });
});
