// The chaos run in small (npm run chaos is the full one): 4 repositories, 20 signed pushes in 40 s,
// the worker, the API and Temporal each SIGKILLed once (Temporal down for 10 s or more), on the real
// processes. Proves the harness works end to end, and that its checks fail when they should.
import { randomUUID } from 'node:crypto';
import { ChaosChecks } from './chaos-checks';
import { formatChaosReport, runChaos, type ChaosReport } from './chaos-run';
import { newSeed } from './seeded-random';

const SEED = process.env['CHAOS_SEED'] ? Number(process.env['CHAOS_SEED']) : newSeed();
const PUSHES = 20;
const TEMPORAL_OUTAGE_MS = 10_000;

describe('the chaos run, small', () => {
  let report: ChaosReport;
  const lines: string[] = [];

  beforeAll(async () => {
    report = await runChaos({
      seed: SEED,
      repos: 4,
      pushes: PUSHES,
      pushPhaseMs: 40_000,
      killsPerProcess: 1,
      longTemporalOutageMs: TEMPORAL_OUTAGE_MS,
      settleTimeoutMs: 150_000,
      databaseUrl: process.env['DATABASE_URL']!,
      log: (line) => lines.push(line),
    });
    // The numbers stay in the CI log, pass or fail; the progress lines only matter when it failed.
    console.log(
      `${formatChaosReport(report)}${report.problems.length > 0 ? `\n\nprogress:\n${lines.join('\n')}` : ''}`,
    );
  }, 10 * 60_000);

  it('survives a SIGKILL of each process: every push accepted and scanned, nothing duplicated or lost', () => {
    expect({ seed: SEED, problems: report.problems }).toEqual({ seed: SEED, problems: [] });
    expect(report.pushes.sent).toBe(PUSHES);
    expect(report.pushes.acceptedFirstTime + report.pushes.acceptedAfterRedelivery).toBe(PUSHES);
    expect(report.acceptedDeliveryIds).toHaveLength(PUSHES);
    for (const name of ['temporal', 'worker', 'api'] as const) expect(report.processes[name].kills).toBe(1);
    expect(report.processes.temporal.longestOutageMs).toBeGreaterThanOrEqual(TEMPORAL_OUTAGE_MS);
    // Every repository was pushed to, and each push that was not coalesced into another became a scan.
    expect(report.expectations).toHaveLength(4);
    expect(report.scans.completed).toBeGreaterThanOrEqual(4);
  });

  it('its checks report a repository behind its push, findings that differ, and a delivery not recorded', async () => {
    const checks = new ChaosChecks(process.env['DATABASE_URL']!);
    try {
      const [first, ...rest] = report.expectations;
      const tampered = {
        ...first!,
        headSha: 'f'.repeat(40),
        openFindings: [...first!.openFindings, 'chaos-gamma@0.1.0|CHAOS-NOT-AN-ADVISORY'],
      };
      const outcome = await checks.verify([tampered, ...rest], [...report.acceptedDeliveryIds, randomUUID()]);
      expect(outcome.problems).toEqual([
        expect.stringMatching(
          new RegExp(`^${tampered.fullName}: newest completed scan is of [0-9a-f]{12}, newest push f{12}$`),
        ),
        expect.stringContaining(`${tampered.fullName}: open findings [`),
        expect.stringMatching(/^accepted delivery [0-9a-f-]{36} is not in webhook_deliveries$/),
      ]);
    } finally {
      await checks.close();
    }
  });
});
