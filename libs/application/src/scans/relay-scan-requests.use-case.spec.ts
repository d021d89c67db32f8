import {
  scanEngineUnavailable,
  type ScanRequestDetails,
  type ScanRequester,
  type ScanRouting,
  type ScanTarget,
} from '@repoguard/domain';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { InMemoryScanRequestOutbox } from '../testing/in-memory-scan-request-outbox';
import { DEFAULT_RELAY_SETTINGS, RelayScanRequests } from './relay-scan-requests.use-case';

const SETTINGS = {
  ...DEFAULT_RELAY_SETTINGS,
  taskQueue: 'scans',
  batchSize: 10,
  leaseMs: 30_000,
  retryBaseMs: 1_000,
  retryMaxMs: 8_000,
};

const target = (repo: string): ScanTarget => ({ orgId: 'org-1', repoId: repo, owner: 'acme', name: repo });

/** Temporal: up, down (every request fails alike), or refusing some requests for reasons of their own. */
class FakeTemporal implements ScanRequester {
  readonly accepted: { repoId: string; requestId: string | undefined; routing?: ScanRouting }[] = [];
  down = false;
  refused = new Set<string>();

  workflowIdFor(repoId: string) {
    return `repo-scan:${repoId}`;
  }

  async request(t: ScanTarget, details: ScanRequestDetails, routing?: ScanRouting) {
    if (this.down) throw scanEngineUnavailable('14 UNAVAILABLE: No connection established');
    if (details.requestId && this.refused.has(details.requestId))
      throw new Error('3 INVALID_ARGUMENT: too big');
    this.accepted.push({ repoId: t.repoId, requestId: details.requestId, ...(routing ? { routing } : {}) });
    return { workflowId: `repo-scan:${t.repoId}`, runId: `run-${t.repoId}` };
  }

  async assignment() {
    return null;
  }
}

describe('RelayScanRequests', () => {
  let outbox: InMemoryScanRequestOutbox;
  let temporal: FakeTemporal;
  let relay: RelayScanRequests;
  const uow = () => new FakeUnitOfWork({ scanRequestOutbox: outbox });

  async function enqueue(id: string, repo: string, options: { holdMs?: number; taskQueue?: string } = {}) {
    await outbox.enqueue({
      id,
      target: target(repo),
      details: { trigger: 'push', requestedBy: 'webhook:d', requestId: id },
      routing: { taskQueue: options.taskQueue ?? 'scans' },
      ...(options.holdMs ? { holdMs: options.holdMs } : {}),
    });
    outbox.time++;
  }

  beforeEach(() => {
    outbox = new InMemoryScanRequestOutbox();
    temporal = new FakeTemporal();
    relay = new RelayScanRequests(uow(), temporal, SETTINGS, () => outbox.time);
  });

  it('sends due requests oldest first, with their routing, and marks each one relayed', async () => {
    await enqueue('r1', 'a');
    await enqueue('r2', 'b');
    await enqueue('r3', 'a');
    const round = await relay.execute();
    expect(round).toMatchObject({ claimed: 3, failed: 0, engineUnavailable: false });
    expect([...round.relayed.keys()]).toEqual(['r1', 'r2', 'r3']);
    expect(temporal.accepted).toEqual([
      { repoId: 'a', requestId: 'r1', routing: { taskQueue: 'scans' } },
      { repoId: 'b', requestId: 'r2', routing: { taskQueue: 'scans' } },
      { repoId: 'a', requestId: 'r3', routing: { taskQueue: 'scans' } },
    ]);
    expect(outbox.rows.every((r) => r.relayedAt !== null)).toBe(true);
    expect((await relay.execute()).claimed).toBe(0); // nothing is sent twice
  });

  it('leaves requests meant for another task queue, and held ones until their hold ends', async () => {
    await enqueue('other', 'a', { taskQueue: 'someone-elses-scans' });
    await enqueue('held', 'b', { holdMs: 30_000 });
    expect((await relay.execute()).claimed).toBe(0);
    outbox.time += 30_000;
    const round = await relay.execute();
    expect([...round.relayed.keys()]).toEqual(['held']);
    expect(outbox.rows.find((r) => r.id === 'other')!.relayedAt).toBeNull();
  });

  it('stops at the first sign of an outage, and sends everything in order once Temporal is back', async () => {
    for (const [i, repo] of ['a', 'b', 'a', 'c'].entries()) await enqueue(`r${i}`, repo);
    temporal.down = true;
    const down = await relay.execute();
    expect(down).toMatchObject({ claimed: 4, failed: 0, engineUnavailable: true });
    expect(down.relayed.size).toBe(0);
    expect(relay.relaysAtOnce).toBe(false);
    // Only the request tried counts a failed attempt; all stay due at once, none waits on a backoff.
    expect(outbox.rows.map((r) => [r.id, r.attempts, r.nextAttemptAt])).toEqual([
      ['r0', 1, outbox.time],
      ['r1', 0, outbox.time],
      ['r2', 0, outbox.time],
      ['r3', 0, outbox.time],
    ]);
    expect(outbox.rows[0]!.lastError).toContain('UNAVAILABLE');

    temporal.down = false;
    const back = await relay.execute();
    expect(back).toMatchObject({ claimed: 4, failed: 0, engineUnavailable: false });
    expect(temporal.accepted.map((a) => a.requestId)).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(relay.relaysAtOnce).toBe(true);
  });

  it('retries a request refused for a reason of its own with a capped backoff, and sends the rest', async () => {
    await enqueue('bad', 'a');
    await enqueue('good', 'b');
    temporal.refused.add('bad');
    const retries: number[] = [];
    for (let i = 0; i < 6; i++) {
      const round = await relay.execute();
      if (i === 0) expect(round).toMatchObject({ claimed: 2, failed: 1, engineUnavailable: false });
      const bad = outbox.rows.find((r) => r.id === 'bad')!;
      retries.push(bad.nextAttemptAt - outbox.time);
      outbox.time = bad.nextAttemptAt;
    }
    expect(retries).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(temporal.accepted.map((a) => a.requestId)).toEqual(['good']);
    expect(outbox.rows.find((r) => r.id === 'bad')).toMatchObject({ attempts: 6, relayedAt: null });
    // Accepted once the cause is gone.
    temporal.refused.clear();
    expect([...(await relay.execute()).relayed.keys()]).toEqual(['bad']);
  });

  it('sends again, under the same request id, a request whose relay died before marking it', async () => {
    await enqueue('r1', 'a');
    // A relay that claimed it and crashed: its lease keeps others off until it ends.
    await outbox.claim({ taskQueue: 'scans', limit: 10, leaseMs: SETTINGS.leaseMs });
    expect((await relay.execute()).claimed).toBe(0);
    outbox.time += SETTINGS.leaseMs;
    const round = await relay.execute();
    expect([...round.relayed.keys()]).toEqual(['r1']);
    expect(temporal.accepted).toEqual([expect.objectContaining({ requestId: 'r1' })]);
  });

  it('relays only the given requests when asked for them, held or not', async () => {
    await enqueue('mine', 'a', { holdMs: 30_000 });
    await enqueue('theirs', 'b');
    const round = await relay.execute({ ids: ['mine'] });
    expect([...round.relayed.keys()]).toEqual(['mine']);
    expect(outbox.rows.find((r) => r.id === 'theirs')!.relayedAt).toBeNull();
  });
});
