import { randomUUID } from 'node:crypto';
import { DependencySnapshotEntity, DependencyEntity } from '@repoguard/infrastructure';
import {
  STALL_MARKER,
  STALLING_PARSER_MODULE,
} from '../../libs/infrastructure/src/parsing/stalling-parser.test-helper';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';

// A scan whose parse step meets a manifest that never finishes parsing, on the real Temporal
// server: the step's heartbeat timeout (1 s) is far shorter than the parse deadline (4 s), so the
// step survives only if heartbeats keep flowing while the pool's thread is stuck.
describe('a scan with a manifest that never finishes parsing', () => {
  const deadlineMs = 4_000;
  let harness: ScanHarness;

  beforeAll(async () => {
    harness = await startScanHarness({
      name: 'parse-deadline-e2e',
      advisories: [],
      heartbeatTimeoutMs: 1_000,
      parsing: { deadlineMs, parserModule: STALLING_PARSER_MODULE },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('completes with PARSE_TIMEOUT for that manifest and the dependencies of the others, the parse step in one attempt', async () => {
    const name = `app-${randomUUID().slice(0, 8)}`;
    const repo = await harness.github.createRepo('acme', name);
    const sha = await repo.commit({
      'requirements.txt': `${STALL_MARKER}\nrequests==2.19.0\n`,
      'web/package-lock.json': JSON.stringify({
        lockfileVersion: 3,
        packages: { '': { name: 'web' }, 'node_modules/lodash': { version: '4.17.4' } },
      }),
      'tools/go.mod': 'module tools\n\nrequire github.com/gin-gonic/gin v1.6.0\n',
    });
    const target = await harness.connectRepo('acme', name);

    await harness.request(target);
    const result = await harness.waitForScan(target);

    expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: sha, errorCode: null });
    const em = harness.orm.em.fork();
    const snapshot = await em.findOneOrFail(DependencySnapshotEntity, {
      repoId: target.repoId,
      commitSha: sha,
    });
    expect(
      Object.fromEntries(snapshot.manifests.map((m) => [m.path, m.diagnostics.map((d) => d.code)])),
    ).toEqual({
      'requirements.txt': ['PARSE_TIMEOUT'],
      'tools/go.mod': [],
      'web/package-lock.json': [],
    });
    expect(snapshot.manifests.find((m) => m.path === 'requirements.txt')!.diagnostics[0]!.message).toBe(
      `requirements.txt took longer than ${deadlineMs} ms to parse (PARSE_DEADLINE_MS) and was stopped; none of its dependencies are listed`,
    );
    const dependencies = await em.find(DependencyEntity, { snapshotId: snapshot.id });
    expect(dependencies.map((d) => `${d.manifestPath}: ${d.name}@${d.version}`).sort()).toEqual([
      'tools/go.mod: github.com/gin-gonic/gin@v1.6.0',
      'web/package-lock.json: lodash@4.17.4',
    ]);

    // One attempt of the parse step, longer than its heartbeat timeout, and it completed.
    const history = await harness.temporal.client.workflow
      .getHandle(`repo-scan:${target.repoId}`)
      .fetchHistory();
    const events = history.events ?? [];
    const parseScheduled = events.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'parse',
    )!;
    const started = events.find(
      (e) =>
        e.activityTaskStartedEventAttributes?.scheduledEventId?.toString() ===
        parseScheduled.eventId?.toString(),
    )!;
    expect(started.activityTaskStartedEventAttributes!.attempt).toBe(1);
    const completed = events.find(
      (e) =>
        e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() ===
        parseScheduled.eventId?.toString(),
    )!;
    expect(completed).toBeDefined();
    const seconds = (e: typeof completed) => Number(e.eventTime!.seconds) + e.eventTime!.nanos! / 1e9;
    expect(seconds(completed) - seconds(started)).toBeGreaterThanOrEqual(deadlineMs / 1000 - 0.5);
  }, 120_000);
});
