export interface DependencyHealth {
  readonly status: 'up' | 'down';
  readonly latency_ms: number;
  readonly error?: string;
}

export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** Runs a probe with a deadline, so a hung dependency reports down instead of hanging the caller. */
export async function measure(check: HealthCheck, timeoutMs: number): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latency_ms: elapsed(started) };
  } catch (error) {
    return { status: 'down', latency_ms: elapsed(started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthReport {
  readonly status: 'ok' | 'error';
  readonly checks: Record<string, DependencyHealth>;
}

export async function checkAll(checks: readonly HealthCheck[], timeoutMs = 2_000): Promise<HealthReport> {
  const results = await Promise.all(checks.map(async (c) => [c.name, await measure(c, timeoutMs)] as const));
  const all = Object.fromEntries(results);
  return { status: results.every(([, r]) => r.status === 'up') ? 'ok' : 'error', checks: all };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
