import { RoundRobinSlots, type ReleaseSlot } from './round-robin-slots';

describe('RoundRobinSlots', () => {
  /** Asks for a slot and records, in `granted`, who got one in which order. */
  function asker(slots: RoundRobinSlots<string>, granted: string[]) {
    const held: ReleaseSlot[] = [];
    const ask = (caller: string, signal?: AbortSignal) =>
      slots.acquire(caller, signal).then((release) => {
        granted.push(caller);
        held.push(release);
        return release;
      });
    return { ask, held };
  }

  it('lets one caller alone take every slot, and no more', async () => {
    const granted: string[] = [];
    const { ask, held } = asker(new RoundRobinSlots<string>(3), granted);
    const asks = Array.from({ length: 5 }, () => ask('a'));
    await Promise.all(asks.slice(0, 3));
    expect(granted).toEqual(['a', 'a', 'a']);
    held[0]!();
    await asks[3];
    expect(granted).toHaveLength(4);
  });

  it('gives a freed slot to a caller that asked later before the next of a busy caller', async () => {
    const granted: string[] = [];
    const slots = new RoundRobinSlots<string>(1);
    const { ask, held } = asker(slots, granted);
    const a = Array.from({ length: 4 }, () => ask('a'));
    await a[0];
    const b = [ask('b'), ask('b')];
    const c = ask('c');
    for (let i = 0; i < 6; i++) {
      held[i]!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([...a, ...b, c]);
    // The newcomers first, then turns: never two of one caller while another waits.
    expect(granted).toEqual(['a', 'b', 'c', 'a', 'b', 'a', 'a']);
  });

  it('drops a waiter whose signal aborts, and releasing twice frees one slot', async () => {
    const granted: string[] = [];
    const slots = new RoundRobinSlots<string>(1);
    const { ask } = asker(slots, granted);
    const first = await ask('a');
    const gone = new AbortController();
    const dropped = ask('b', gone.signal);
    const kept = ask('c');
    gone.abort(new Error('step cancelled'));
    await expect(dropped).rejects.toThrow('step cancelled');
    first();
    first();
    await kept;
    expect(granted).toEqual(['a', 'c']);
    // Still one slot in use (c's): the double release did not make room for another.
    let d = false;
    void ask('d').then(() => (d = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(d).toBe(false);
  });

  it('refuses at once with an aborted signal', async () => {
    const slots = new RoundRobinSlots<string>(1);
    await expect(slots.acquire('a', AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    expect(() => new RoundRobinSlots(0)).toThrow(RangeError);
  });
});
