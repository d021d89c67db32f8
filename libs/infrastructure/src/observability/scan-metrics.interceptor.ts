import type { Context } from '@temporalio/activity';
import type { Next } from '@temporalio/common';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
} from '@temporalio/worker';
import type { ScanMetricsQuery } from './scan-metrics.query';
import type { ScanPhaseLabel, WorkerMetrics } from './worker-metrics';

/** Scan activities by the phase they time; other activities (the self-check) are not scans. */
const PHASES: Readonly<Record<string, ScanPhaseLabel>> = {
  fetchManifest: 'fetch',
  parse: 'parse',
  osvQuery: 'match',
  persist: 'persist',
  evaluatePolicy: 'evaluate',
};

/** A scan ends when its verdict is recorded, or when its failure is. */
const ENDINGS: Readonly<Record<string, 'completed' | 'failed'>> = {
  evaluatePolicy: 'completed',
  // A re-match in one activity: its steps run inside it, so only its end is seen here.
  rematchSnapshot: 'completed',
  recordScanFailure: 'failed',
};

/** A scan a newer one overtook: it ends SUPERSEDED, neither completed nor failed. */
function endedWithoutVerdict(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  return (
    ('superseded' in result && result.superseded === true) || ('status' in result && result.status === null)
  );
}

/**
 * Times every attempt of every scan step and counts scans as they end, from outside the activities:
 * they stay free of metrics, and the end reads the scan row for its start time and trigger.
 */
export function scanMetricsInterceptor(
  metrics: WorkerMetrics,
  scans: ScanMetricsQuery,
  warn: (message: string) => void,
): ActivityInterceptorsFactory {
  return (ctx: Context) => {
    const type = ctx.info.activityType;
    if (!PHASES[type] && !ENDINGS[type]) return {};
    return { inbound: new ScanMetricsInbound(type, metrics, scans, warn) };
  };
}

class ScanMetricsInbound implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly type: string,
    private readonly metrics: WorkerMetrics,
    private readonly scans: ScanMetricsQuery,
    private readonly warn: (message: string) => void,
  ) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const phase = PHASES[this.type];
    const stop = phase ? this.metrics.phaseDuration.startTimer({ phase }) : undefined;
    let result: unknown;
    try {
      result = await next(input);
    } catch (error) {
      stop?.({ outcome: 'error' });
      throw error;
    }
    stop?.({ outcome: 'ok' });
    const ending = ENDINGS[this.type];
    if (ending && !endedWithoutVerdict(result)) await this.scanEnded(ending, input.args[0]);
    return result;
  }

  /** Never fails the activity: its work is done, and a lost sample is better than a retried verdict. */
  private async scanEnded(outcome: 'completed' | 'failed', arg: unknown): Promise<void> {
    const scanId =
      typeof arg === 'object' && arg !== null && 'scanId' in arg && typeof arg.scanId === 'string'
        ? arg.scanId
        : null;
    if (!scanId) return;
    try {
      const scan = await this.scans.endedScan(scanId);
      if (scan) this.metrics.scanEnded(outcome, scan.trigger, scan.seconds);
    } catch (error) {
      this.warn(
        `metrics: scan ${scanId} ended but its duration could not be read (${(error as Error).message})`,
      );
    }
  }
}
