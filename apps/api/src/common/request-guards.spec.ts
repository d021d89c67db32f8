import type { NextFunction, Request, Response } from 'express';
import { inputSanity } from './request-guards';

interface Answer {
  passed: boolean;
  status?: number;
  body?: { error: { code: string; details: { field: string; problem: string }[] } };
}

function check(body: unknown, query: unknown = {}): Answer {
  const answer: Answer = { passed: false };
  const response = {
    status(code: number) {
      answer.status = code;
      return this;
    },
    json(sent: Answer['body']) {
      answer.body = sent;
      return this;
    },
  } as unknown as Response;
  const next: NextFunction = () => {
    answer.passed = true;
  };
  inputSanity({ body, query } as Request, response, next);
  return answer;
}

describe('inputSanity', () => {
  it('names the path of a NUL character, a NUL key and a structure nested too deep', () => {
    expect(check({ rules: [{ ok: 'x' }, { name: 'a\u0000b' }] }).body?.error).toMatchObject({
      code: 'REQUEST_INVALID',
      details: [{ field: 'rules[1].name', problem: 'must not contain NUL characters' }],
    });
    expect(check({ a: { 'b\u0000': 1 } }).body?.error.details).toEqual([
      { field: 'a', problem: 'keys must not contain NUL characters' },
    ]);
    let deep: unknown = 0;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect([check({ x: deep }).status, check({ x: deep }).body?.error.details[0]?.field]).toEqual([
      400,
      `x${'[0]'.repeat(63)}`,
    ]);
    expect(check({}, { q: '\u0000' }).body?.error.details[0]?.field).toBe('q');
    expect(check({ a: [1, 'two', { three: null }] }).passed).toBe(true);
  });

  // A path string per value would make this quadratic: each of the 250,000 entries would copy
  // (and search) the 500,000-character key above it. Checked by value, it is one pass.
  it('checks a 1 MB body under a long key in one pass, building no path for a clean value', () => {
    const body = { ['k'.repeat(500_000)]: new Array<number>(250_000).fill(0) };
    expect(check(body).passed).toBe(true);
    const reads = { count: 0 };
    const counted = new Proxy(new Array<number>(250_000).fill(0), {
      get(target, key, receiver) {
        reads.count++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(check({ wide: counted }).passed).toBe(true);
    // Each element read once (plus the array's own length, iterator and the like).
    expect(reads.count).toBeLessThan(250_000 + 100);
  });
});
