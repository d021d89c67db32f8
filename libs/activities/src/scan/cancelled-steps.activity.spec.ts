import { MockActivityEnvironment } from '@temporalio/testing';
import type {
  FindingRepository,
  PolicyRepository,
  ScanRepository,
  SnapshotRepository,
  VulnerabilityCache,
} from '@repoguard/domain';
import { createEvaluatePolicyActivity } from './evaluate-policy.activity';
import { createPersistActivity } from './persist.activity';

// A re-match that yields to a push is cancelled; a step that hears of it (through its heartbeat)
// must not write afterwards. Each step here is cancelled while it reads, then let go.
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

function stepsReadingThrough(reading: Promise<void>) {
  const writes: string[] = [];
  const snapshots = {
    dependencies: async () => {
      await reading;
      return [];
    },
    matches: async () => [],
    manifests: async () => [],
  } as unknown as SnapshotRepository;
  const findings = {
    sync: async () => {
      writes.push('findings.sync');
      return { opened: 0, stillOpen: 0, fixed: 0 };
    },
    current: async () => [],
  } as unknown as FindingRepository;
  const scans = {
    phase: async () => undefined,
    recordPhase: async () => undefined,
    newerScanThan: async () => null,
    saveEvaluation: async () => void writes.push('scans.saveEvaluation'),
    completeUnlessSuperseded: async () => {
      writes.push('scans.completeUnlessSuperseded');
      return { supersededBy: null };
    },
  } as unknown as ScanRepository;
  const deps = {
    snapshots,
    findings,
    scans,
    vulnerabilityCache: { get: async () => new Map() } as unknown as VulnerabilityCache,
    policies: { current: async () => null } as unknown as PolicyRepository,
    now: () => new Date(),
  };
  return { writes, persist: createPersistActivity(deps), evaluatePolicy: createEvaluatePolicyActivity(deps) };
}

const input = { scanId: 'scan-1', orgId: 'org-1', repoId: 'repo-1', snapshotId: 'snapshot-1' };

describe.each(['persist', 'evaluatePolicy'] as const)('%s, cancelled mid-step', (step) => {
  it('writes nothing', async () => {
    const reading = gate();
    const { writes, ...steps } = stepsReadingThrough(reading.opened);
    const env = new MockActivityEnvironment();
    const running = env.run(steps[step], input);
    env.cancel();
    reading.open();

    await expect(running).rejects.toThrow();
    expect(writes).toEqual([]);
  });

  it('writes when not cancelled', async () => {
    const { writes, ...steps } = stepsReadingThrough(Promise.resolve());
    await new MockActivityEnvironment().run(steps[step], input);
    expect(writes.length).toBeGreaterThan(0);
  });
});
