import type { ServedScanRequests } from '@repoguard/domain';
import { RematchPacer, type PacerClock } from './rematch-pacer';

/** Time moves only when the pacer sleeps; `onSleep` lets a test serve requests meanwhile. */
function fakeClock(onSleep: (now: number) => void = () => undefined) {
  const clock = {
    t: 0,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
      onSleep(clock.t);
    },
  };
  return clock satisfies PacerClock;
}

/** Scans serve the requests they are told to; `lookups` counts the pacer's questions. */
function scans() {
  const done = new Set<string>();
  const store: ServedScanRequests & { done: Set<string>; lookups: string[][] } = {
    done,
    lookups: [],
    served: jest.fn(async (ids: readonly string[]): Promise<ReadonlySet<string>> => {
      store.lookups.push([...ids]);
      return new Set(ids.filter((id) => done.has(id)));
    }),
  };
  return store;
}

/** Asks for `count` requests through the pacer, as the page does: wait, then ask. */
async function ask(pacer: RematchPacer, ids: readonly string[], beat = () => undefined) {
  for (const id of ids) {
    await pacer.next(beat);
    pacer.asked(id);
  }
}

describe('RematchPacer', () => {
  it('lets requests go at once up to the limit, then waits for a scan to serve one', async () => {
    const served = scans();
    const clock = fakeClock((now) => {
      if (now >= 300) served.done.add('r1');
    });
    const pacer = new RematchPacer({ served, limit: 2, pollMs: 100 }, Infinity, clock);
    const beat = jest.fn();

    await ask(pacer, ['r1', 'r2']);
    expect(served.lookups).toEqual([]);
    await ask(pacer, ['r3'], beat);
    // Looked up at once, then every 100 ms until r1 was served at 300 ms.
    expect(clock.t).toBe(300);
    expect(served.lookups).toEqual([
      ['r1', 'r2'],
      ['r1', 'r2'],
      ['r1', 'r2'],
      ['r1', 'r2'],
    ]);
    expect(beat).toHaveBeenCalledTimes(3);
    // r2 and r3 open: the next waits again, for either.
    served.done.add('r3');
    await ask(pacer, ['r4']);
    expect(served.lookups.at(-1)).toEqual(['r2', 'r3']);
    expect(clock.t).toBe(300);
  });

  it('never has more than the limit open, however fast it is asked', async () => {
    const served = scans();
    const opened: string[] = [];
    // One request served every 100 ms, oldest first.
    const clock = fakeClock(() => {
      const oldest = opened.find((id) => !served.done.has(id));
      if (oldest) served.done.add(oldest);
    });
    const pacer = new RematchPacer({ served, limit: 3, pollMs: 100 }, Infinity, clock);
    let most = 0;
    for (let i = 0; i < 20; i++) {
      await pacer.next(() => undefined);
      pacer.asked(`r${i}`);
      opened.push(`r${i}`);
      most = Math.max(most, opened.filter((id) => !served.done.has(id)).length);
    }
    expect(most).toBe(3);
    // Paced to the scans: 17 of the 20 waited for one to be served.
    expect(clock.t).toBe(1_700);
  });

  it('takes a request open too long as served (one folded into a scan begun before it)', async () => {
    const served = scans();
    const clock = fakeClock();
    const pacer = new RematchPacer(
      { served, limit: 1, pollMs: 100, openForAtMostMs: 1_000 },
      Infinity,
      clock,
    );
    await ask(pacer, ['never-served', 'next']);
    expect(clock.t).toBe(1_000);
  });

  it('stops waiting at its deadline: the rest of the page still has to be requested', async () => {
    const served = scans();
    const clock = fakeClock();
    const pacer = new RematchPacer({ served, limit: 1, pollMs: 100 }, 350, clock);
    await ask(pacer, ['a', 'b']);
    expect(clock.t).toBe(350);
    const lookups = served.lookups.length;
    await ask(pacer, ['c', 'd', 'e']);
    expect(clock.t).toBe(350);
    expect(served.lookups).toHaveLength(lookups);
  });

  it('asks for the rest at once, once warned, when the open requests cannot be looked up', async () => {
    const served: ServedScanRequests = {
      served: jest.fn(async () => {
        throw new Error('connection refused');
      }),
    };
    const warn = jest.fn();
    const clock = fakeClock();
    const pacer = new RematchPacer({ served, limit: 1 }, Infinity, clock, warn);
    await ask(pacer, ['a', 'b', 'c', 'd']);
    expect(served.served).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('connection refused');
    expect(clock.slept).toEqual([]);
  });

  it('never looks anything up when pacing is off (limit 0, or none given)', async () => {
    const served = scans();
    const clock = fakeClock();
    for (const pacing of [{ served, limit: 0 }, undefined]) {
      await ask(new RematchPacer(pacing, Infinity, clock), ['a', 'b', 'c', 'd', 'e']);
    }
    expect(served.lookups).toEqual([]);
    expect(clock.slept).toEqual([]);
  });
});
