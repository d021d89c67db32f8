import { mapBounded } from './map-bounded';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapBounded', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3], 2, async (n, index) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      return `${index}:${n * 10}`;
    });
    expect(results).toEqual(['0:50', '1:10', '2:40', '3:20', '4:30']);
    expect(peak).toBe(2);
  });

  it('answers an empty list without calling the task', async () => {
    const task = jest.fn();
    await expect(mapBounded([], 3, task)).resolves.toEqual([]);
    expect(task).not.toHaveBeenCalled();
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error('boom');
      for (let i = 0; i < 3; i++) await tick();
      return n;
    });
    await expect(run).rejects.toThrow('boom');
    for (let i = 0; i < 5; i++) await tick();
    expect(started).toEqual([1, 2]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %p', async (limit) => {
    await expect(mapBounded([1], limit, async (n) => n)).rejects.toThrow(RangeError);
  });
});
