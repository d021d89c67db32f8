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

const DEFAULT_RELAY_SETTINGS_FOR = (taskQueue: string) => ({ ...DEFAULT_RELAY_SETTINGS, taskQueue });

const SETTINGS = {
  ...DEFAULT_RELAY_SETTINGS,
  taskQueue: 'scans',
  batchSize: 10,
  requestTimeoutMs: 3_000,
  leaseMs: 30_000,
  retryBaseMs: 1_000,
  retryMaxMs: 8_000,
};

const target = (repo: string, orgId = 'org-1'): ScanTarget => ({
  orgId,
  repoId: repo,
  owner: 'acme',
  name: repo,
});

/** Temporal: up, down (every request fails alike), or refusing some requests for reasons of their own. */
class FakeTemporal implements ScanRequester {
  readonly accepted: { repoId: string; requestId: string | undefined; routing?: ScanRouting }[] = [];
  readonly sequences: (number | undefined)[] = [];
  down = false;
  refused = new Set<string>();
  /** Runs inside each call, after it counted: a call that takes time, or another relay meanwhile. */
  during?: (call: number) => Promise<void>;

  workflowIdFor(repoId: string) {
    return `repo-scan:${repoId}`;
  }

  async request(t: ScanTarget, details: ScanRequestDetails, routing?: ScanRouting) {
    if (this.down) throw scanEngineUnavailable('14 UNAVAILABLE: No connection established');
    if (details.requestId && this.refused.has(details.requestId))
      throw new Error('3 INVALID_ARGUMENT: too big');
    this.accepted.push({ repoId: t.repoId, requestId: details.requestId, ...(routing ? { routing } : {}) });
    this.sequences.push(details.sequence);
    await this.during?.(this.accepted.length);
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

  async function enqueue(
    id: string,
    repo: string,
    options: { holdMs?: number; taskQueue?: string; orgId?: string } = {},
  ) {
    await outbox.enqueue({
      id,
      target: target(repo, options.orgId),
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

  it('stamps each request it sends with its outbox sequence, in the order they were committed', async () => {
    await enqueue('r1', 'a');
    await enqueue('r2', 'a');
    await relay.execute();
    const [first, second] = outbox.rows;
    expect(temporal.sequences).toEqual([first!.sequence, second!.sequence]);
    expect(second!.sequence).toBeGreaterThan(first!.sequence);
  });

  it('refuses a lease shorter than a round of bounded calls', () => {
    expect(
      () =>
        new RelayScanRequests(uow(), temporal, {
          ...SETTINGS,
          batchSize: 10,
          requestTimeoutMs: 5_000,
          leaseMs: 30_000,
        }),
    ).toThrow(/lease of 30000 ms is shorter than a round of 10 requests/);
    expect(() => new RelayScanRequests(uow(), temporal, DEFAULT_RELAY_SETTINGS_FOR('scans'))).not.toThrow();
  });

  // Review proof (issue 15): a round slower than its lease let a second API process claim and send
  // the same rows. Every call here takes longer than planned (a stalled process), so the lease runs
  // out mid-round whatever its length.
  it('never sends one request twice when a round outlives its lease and another relay claims its rows', async () => {
    for (let i = 0; i < 10; i++) await enqueue(`r${i}`, `repo${i}`);
    let otherClaimed: string[] = [];
    temporal.during = async (call) => {
      outbox.time += 10_000; // each call takes 10 s: the 30 s lease is gone by the fourth
      // Another API process's relay claims what is due again, and is still sending it.
      if (call === 4)
        otherClaimed = (await outbox.claim({ taskQueue: 'scans', limit: 10, leaseMs: 30_000 })).map(
          (r) => r.id,
        );
    };
    const round = await relay.execute();

    const sent = temporal.accepted.map((a) => a.requestId);
    expect(sent).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(otherClaimed).toEqual(['r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(round).toMatchObject({ claimed: 10, lost: 6 });
  });

  it('sends each request once when two relays poll while a slow round is under way', async () => {
    for (let i = 0; i < 10; i++) await enqueue(`r${i}`, `repo${i}`);
    const other = new FakeTemporal();
    const otherRelay = new RelayScanRequests(uow(), other, SETTINGS, () => outbox.time);
    temporal.during = async (call) => {
      outbox.time += 10_000;
      if (call === 4) await otherRelay.execute();
    };
    await relay.execute();

    const sent = [...temporal.accepted, ...other.accepted].map((a) => a.requestId);
    expect(sent.sort()).toEqual(outbox.rows.map((r) => r.id).sort());
    expect(other.accepted.length).toBeGreaterThan(0);
    expect(outbox.rows.every((r) => r.relayedAt !== null)).toBe(true);
  });

  it("takes the orgs in turn, so one org's flood does not hold every other org's requests back", async () => {
    for (let i = 0; i < 300; i++) await enqueue(`a${i}`, `a-repo${i % 5}`, { orgId: 'org-a' });
    await enqueue('b0', 'b-repo', { orgId: 'org-b' });
    await enqueue('c0', 'c-repo', { orgId: 'org-c' });
    await enqueue('c1', 'c-repo', { orgId: 'org-c' });

    const round = await relay.execute();

    expect(round.claimed).toBe(SETTINGS.batchSize);
    // Each org's oldest first, then each one's second; within an org, the order they came in.
    expect(temporal.accepted.map((a) => a.requestId)).toEqual([
      'a0',
      'b0',
      'c0',
      'a1',
      'c1',
      'a2',
      'a3',
      'a4',
      'a5',
      'a6',
    ]);
  });

  it('gives a request Temporal keeps refusing up after the attempt limit, out of the backlog', async () => {
    const settings = { ...SETTINGS, maxAttempts: 3 };
    relay = new RelayScanRequests(uow(), temporal, settings, () => outbox.time);
    await enqueue('bad', 'a');
    temporal.refused.add('bad');
    const rounds = [];
    for (let i = 0; i < 4; i++) {
      rounds.push(await relay.execute());
      outbox.time += settings.retryMaxMs;
    }
    expect(rounds.map((r) => [r.claimed, r.failed, r.gaveUp])).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [1, 0, 1],
      [0, 0, 0],
    ]);
    expect(outbox.rows[0]).toMatchObject({ attempts: 3, lastError: '3 INVALID_ARGUMENT: too big' });
    expect(outbox.rows[0]!.gaveUpAt).not.toBeNull();
    expect(await relay.backlog()).toEqual({ pending: 0, oldestCreatedAt: null, gaveUp: 1 });
    // Pruned with the relayed ones.
    outbox.time += 2_000;
    expect(await relay.pruneRelayed(1_000)).toBe(1);
    expect(outbox.rows).toEqual([]);
  });

  it('gives up a refused request once it is older than the maximum age, whatever its attempts', async () => {
    relay = new RelayScanRequests(uow(), temporal, { ...SETTINGS, maxAgeMs: 60_000 }, () => outbox.time);
    await enqueue('bad', 'a');
    temporal.refused.add('bad');
    expect(await relay.execute()).toMatchObject({ failed: 1, gaveUp: 0 });
    outbox.time += 60_000;
    expect(await relay.execute()).toMatchObject({ failed: 0, gaveUp: 1 });
    expect(outbox.rows[0]).toMatchObject({ attempts: 2 });
  });

  it('never gives up a request for an outage, however long', async () => {
    relay = new RelayScanRequests(
      uow(),
      temporal,
      { ...SETTINGS, maxAttempts: 2, maxAgeMs: 1_000 },
      () => outbox.time,
    );
    await enqueue('r1', 'a');
    temporal.down = true;
    for (let i = 0; i < 5; i++) {
      expect(await relay.execute()).toMatchObject({ engineUnavailable: true, gaveUp: 0 });
      outbox.time += 10_000;
    }
    temporal.down = false;
    expect([...(await relay.execute()).relayed.keys()]).toEqual(['r1']);
  });

  it('does not send a request whose repository was disabled after it was made', async () => {
    await enqueue('r1', 'disabled-later');
    await enqueue('r2', 'still-on');
    outbox.disabledRepos.add('disabled-later');
    const round = await relay.execute();
    expect(round).toMatchObject({ claimed: 2, gaveUp: 1 });
    expect(temporal.accepted.map((a) => a.requestId)).toEqual(['r2']);
    expect(await outbox.status('disabled-later', 'r1')).toMatchObject({
      state: 'gave_up',
      lastError: expect.stringContaining('REPO_DISABLED'),
    });
  });

  it('relays many named requests in rounds of the batch size', async () => {
    for (let i = 0; i < 25; i++) await enqueue(`r${i}`, `repo${i}`, { holdMs: 60_000 });
    const round = await relay.execute({ ids: outbox.rows.map((r) => r.id) });
    expect(round.claimed).toBe(25);
    expect(round.relayed.size).toBe(25);
    expect(outbox.rows.every((r) => r.claim === 1)).toBe(true);
  });
});
