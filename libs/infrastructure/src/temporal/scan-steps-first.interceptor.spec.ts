import type { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { REPO_SCAN_WORKFLOW } from '@repoguard/contract';
import {
  rematchStandsBackInterceptor,
  ScanStepsInFlight,
  scanStepsInFlightInterceptor,
} from './scan-steps-first.interceptor';

/** The Context of a step its workflow type scheduled (all the counting interceptor reads). */
function stepOf(workflowType: string): Context {
  return { info: { workflowType } } as unknown as Context;
}

/** A clock the test moves: ScanStepsInFlight reads it for the grace after a step. */
function manualClock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('scan steps first: what the re-match worker reads', () => {
  it('says stand back while a scan step runs, then for the rest of the grace, then not at all', () => {
    const clock = manualClock();
    const inFlight = new ScanStepsInFlight(clock.now);
    expect(inFlight.standBackMs(500, 50)).toBe(0);

    const ended = inFlight.started();
    const other = inFlight.started();
    expect(inFlight.standBackMs(500, 50)).toBe(50);
    ended();
    ended(); // a second call changes nothing: the other step still runs
    expect(inFlight.standBackMs(500, 50)).toBe(50);
    other();
    expect(inFlight.standBackMs(500, 50)).toBe(500);
    clock.advance(300);
    expect(inFlight.standBackMs(500, 50)).toBe(200);
    clock.advance(200);
    expect(inFlight.standBackMs(500, 50)).toBe(0);
  });

  it('counts a scan step as running until it settles, whether it returns or throws', async () => {
    const clock = manualClock();
    const inFlight = new ScanStepsInFlight(clock.now);
    const inbound = scanStepsInFlightInterceptor(inFlight)(stepOf(REPO_SCAN_WORKFLOW)).inbound!;
    let finish!: () => void;
    const running = inbound.execute!({ args: [], headers: {} }, () => new Promise<void>((r) => (finish = r)));
    expect(inFlight.standBackMs(0, 50)).toBe(50);
    finish();
    await running;
    expect(inFlight.standBackMs(0, 50)).toBe(0);

    const failing = inbound.execute!({ args: [], headers: {} }, () => Promise.reject(new Error('boom')));
    expect(inFlight.standBackMs(0, 50)).toBe(50);
    await expect(failing).rejects.toThrow('boom');
    expect(inFlight.standBackMs(0, 50)).toBe(0);
  });

  it('counts only the steps of repository scans, not an advisory import or a self-check on the same queue', async () => {
    const inFlight = new ScanStepsInFlight(manualClock().now);
    const finishes: (() => void)[] = [];
    const steps = ['syncAdvisoriesWorkflow', 'selfCheckWorkflow'].map((workflowType) =>
      scanStepsInFlightInterceptor(inFlight)(stepOf(workflowType)).inbound!.execute!(
        { args: [], headers: {} },
        () => new Promise<void>((r) => finishes.push(r)),
      ),
    );
    expect(inFlight.standBackMs(0, 50)).toBe(0);
    finishes.forEach((finish) => finish());
    await Promise.all(steps);
  });
});

describe('a re-match step standing back', () => {
  /** A stand-in for the activity Context: sleep and heartbeat recorded, cancellation on demand. */
  function activityContext(heartbeatDetails?: unknown, startToCloseTimeoutMs = 60_000) {
    const beats: unknown[] = [];
    let cancel!: (failure: CancelledFailure) => void;
    const cancelled = new Promise<never>((_, reject) => (cancel = reject));
    cancelled.catch(() => undefined);
    const context = {
      info: { heartbeatDetails, startToCloseTimeoutMs },
      heartbeat: (details: unknown) => beats.push(details),
      sleep: (ms: number) =>
        Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms)), cancelled]),
    };
    return { context: context as unknown as Context, beats, cancel: () => cancel(new CancelledFailure('x')) };
  }

  it('begins once no scan step runs, heartbeating the last attempt’s details meanwhile', async () => {
    const inFlight = new ScanStepsInFlight();
    const scanStepEnded = inFlight.started();
    const { context, beats } = activityContext({ page: 3 });
    const order: string[] = [];
    const rematch = rematchStandsBackInterceptor(inFlight, { graceMs: 0, maxHoldMs: 60_000 })(context)
      .inbound!.execute!({ args: [], headers: {} }, async () => {
      order.push('re-match began');
      return 're-matched';
    });
    await new Promise((resolve) => setTimeout(resolve, 120));
    order.push('scan step ended');
    scanStepEnded();

    await expect(rematch).resolves.toBe('re-matched');
    expect(order).toEqual(['scan step ended', 're-match began']);
    expect(beats.length).toBeGreaterThan(0);
    expect(new Set(beats.map((b) => JSON.stringify(b)))).toEqual(new Set(['{"page":3}']));
  });

  it('begins after at most its hold although scan steps keep running', async () => {
    const inFlight = new ScanStepsInFlight();
    inFlight.started(); // never ends
    const { context } = activityContext();
    let began = false;
    await rematchStandsBackInterceptor(inFlight, { graceMs: 0, maxHoldMs: 150 })(context).inbound!.execute!(
      { args: [], headers: {} },
      async () => {
        began = true;
      },
    );
    expect(began).toBe(true);
  });

  it('begins while most of its start-to-close timeout is left, however long the hold configured', async () => {
    const inFlight = new ScanStepsInFlight();
    inFlight.started(); // never ends
    const { context } = activityContext(undefined, 400);
    let began = false;
    await rematchStandsBackInterceptor(inFlight, { graceMs: 0, maxHoldMs: 600_000 })(context).inbound!
      .execute!({ args: [], headers: {} }, async () => {
      began = true;
    });
    expect(began).toBe(true);
  });

  it('ends its wait with the cancellation when the workflow cancels it, never beginning', async () => {
    const inFlight = new ScanStepsInFlight();
    inFlight.started();
    const { context, cancel } = activityContext();
    let began = false;
    const rematch = rematchStandsBackInterceptor(inFlight, { graceMs: 0, maxHoldMs: 60_000 })(context)
      .inbound!.execute!({ args: [], headers: {} }, async () => {
      began = true;
    });
    cancel();
    await expect(rematch).rejects.toBeInstanceOf(CancelledFailure);
    expect(began).toBe(false);
  });
});
