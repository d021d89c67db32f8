import type { Worker } from 'node:worker_threads';
import { MAX_DIAGNOSTIC_MESSAGE_CHARS, MAX_DIAGNOSTICS_PER_MANIFEST, parseManifest } from '@repoguard/domain';
import { PiscinaManifestParserPool } from './piscina-manifest-parser-pool';
import {
  FLOOD_MARKER,
  HOARD_MARKER,
  STALL_MARKER,
  STALLING_PARSER_MODULE,
} from './stalling-parser.test-helper';

// Real worker threads: each pool below starts its own and the afterAll hooks stop them.
describe('PiscinaManifestParserPool', () => {
  const GOOD = { path: 'requirements.txt', text: 'requests==2.19.0\nflask==0.12\n' };
  const STUCK = { path: 'services/api/requirements.txt', text: `${STALL_MARKER}\nrequests==2.19.0\n` };

  describe('with a parser that can get stuck', () => {
    const deadlineMs = 1_500;
    let pool: PiscinaManifestParserPool;

    beforeAll(() => {
      pool = new PiscinaManifestParserPool({ threads: 2, deadlineMs, parserModule: STALLING_PARSER_MODULE });
    });
    afterAll(() => pool.close());

    it('stops a parse at the deadline with PARSE_TIMEOUT while the other file parses', async () => {
      const ticks = countTicks();
      const [stuck, good] = await pool.parseAll([STUCK, GOOD]);
      ticks.stop();

      expect(stuck).toEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'PARSE_TIMEOUT',
            message: `services/api/requirements.txt took longer than ${deadlineMs} ms to parse (PARSE_DEADLINE_MS) and was stopped; none of its dependencies are listed`,
          },
        ],
      });
      expect(good).toEqual(parseManifest(GOOD.path, GOOD.text));
      expect(good!.dependencies.map((d) => `${d.name}@${d.version}`)).toEqual([
        'requests@2.19.0',
        'flask@0.12',
      ]);
      // The caller's event loop stayed free (where the activity's heartbeats run) while the
      // thread was stuck: a deadline of 1.5 s holds 15 ticks of 100 ms, a blocked loop none.
      expect(ticks.count).toBeGreaterThanOrEqual(3);
    }, 30_000);

    it('terminates the stuck thread and replaces it, so nothing keeps burning a core', async () => {
      const before = pool.threads;
      expect(before).toHaveLength(2);
      const [stuck] = await pool.parseAll([STUCK]);
      expect(stuck!.diagnostics[0]!.code).toBe('PARSE_TIMEOUT');

      const stopped = before.filter((thread) => !pool.threads.includes(thread));
      expect(stopped).toHaveLength(1);
      // Node sets a thread's id to -1 once it no longer runs.
      await waitFor(() => stopped[0]!.threadId === -1);

      // A fresh thread stands in for it, and parses.
      expect(pool.threads).toHaveLength(2);
      const [good] = await pool.parseAll([GOOD]);
      expect(good!.dependencies).toHaveLength(2);
    }, 60_000);

    it('times out each stuck file on its own, in one call', async () => {
      const results = await pool.parseAll([
        STUCK,
        { ...STUCK, path: 'b/requirements.txt' },
        GOOD,
        { path: 'go.mod', text: 'module x\n\nrequire github.com/gin-gonic/gin v1.6.0\n' },
      ]);
      expect(results.map((r) => r.diagnostics.map((d) => d.code))).toEqual([
        ['PARSE_TIMEOUT'],
        ['PARSE_TIMEOUT'],
        [],
        [],
      ]);
      expect(results[1]!.diagnostics[0]!.message).toMatch(/^b\/requirements\.txt took longer than/);
      expect(results[3]!.dependencies.map((d) => d.name)).toEqual(['github.com/gin-gonic/gin']);
      expect(pool.threads).toHaveLength(2);
    }, 60_000);
  });

  describe('shared by concurrent scans', () => {
    const deadlineMs = 1_000;
    let pool: PiscinaManifestParserPool;

    beforeAll(async () => {
      pool = new PiscinaManifestParserPool({ threads: 1, deadlineMs, parserModule: STALLING_PARSER_MODULE });
      await pool.parseAll([GOOD]);
    });
    afterAll(() => pool.close());

    it("parses another caller's file after at most one of a first caller's stuck files", async () => {
      const events: string[] = [];
      const exits = recordThreadExits(pool, events);
      const hostile = Array.from({ length: 8 }, (_, i) => ({ ...STUCK, path: `m${i}/requirements.txt` }));

      const a = pool.parseAll(hostile).then((results) => {
        events.push('A done');
        return results;
      });
      const b = pool.parseAll([GOOD]).then((results) => {
        events.push('B done');
        return results;
      });
      const [[good], resultsA] = await Promise.all([b, a]);
      exits.stop();

      expect(good).toEqual(parseManifest(GOOD.path, GOOD.text));
      expect(resultsA.map((r) => r.diagnostics.map((d) => d.code))).toEqual(
        hostile.map(() => ['PARSE_TIMEOUT']),
      );
      // Each stuck file's thread is stopped at its deadline: B's file came after the first of them,
      // not after all eight.
      const beforeB = events.slice(0, events.indexOf('B done'));
      expect(beforeB.filter((e) => e === 'thread stopped').length).toBeLessThanOrEqual(2);
      expect(events.indexOf('B done')).toBeLessThan(events.indexOf('A done'));
    }, 60_000);

    it('drops queued files and stops the running one when the caller aborts', async () => {
      const slow = new PiscinaManifestParserPool({
        threads: 1,
        deadlineMs: 120_000,
        parserModule: STALLING_PARSER_MODULE,
      });
      try {
        await slow.parseAll([GOOD]);
        const [running] = slow.threads;
        const asked: string[] = [];
        const readInclude = (includePath: string) => {
          asked.push(includePath);
          return 'six==1.16.0\n';
        };
        const queued = Array.from({ length: 3 }, (_, i) => ({
          path: `q${i}/requirements.txt`,
          text: '-r base.txt\nflask==0.12\n',
        }));
        const step = new AbortController();
        const parsing = slow.parseAll([STUCK, ...queued], { readInclude, signal: step.signal });
        // The stuck file holds the only thread; the others wait for it.
        await waitFor(() => false, 500).catch(() => undefined);
        const reason = new Error('the parse step was cancelled');
        step.abort(reason);

        await expect(parsing).rejects.toBe(reason);
        // The stuck parse is stopped, not left to burn its thread for the 2-minute deadline.
        await waitFor(() => running!.threadId === -1);
        const [after] = await slow.parseAll([GOOD]);
        expect(after!.dependencies).toHaveLength(2);
        expect(slow.threads).toHaveLength(1);
        // None of the queued files was ever handed to a thread: each would have asked for base.txt.
        await slow.parseAll([GOOD, GOOD]);
        expect(asked).toEqual([]);
      } finally {
        await slow.close();
      }
    }, 60_000);

    it('refuses at once when the signal is already aborted', async () => {
      const reason = new Error('cancelled before it began');
      await expect(pool.parseAll([GOOD], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    });

    it('answers PARSE_BUDGET_EXCEEDED for what is left when the whole call runs out of time', async () => {
      const budgeted = new PiscinaManifestParserPool({
        threads: 1,
        deadlineMs: 120_000,
        // Long enough for the thread that replaces the stuck one to start on a loaded machine: the
        // last call below must not spend its budget waiting for it.
        budgetMs: 5_000,
        parserModule: STALLING_PARSER_MODULE,
      });
      try {
        await budgeted.parseAll([GOOD]);
        const results = await budgeted.parseAll([GOOD, STUCK, { ...GOOD, path: 'later/requirements.txt' }]);

        expect(results[0]).toEqual(parseManifest(GOOD.path, GOOD.text));
        expect(results.slice(1)).toEqual(
          ['services/api/requirements.txt', 'later/requirements.txt'].map((path) => ({
            dependencies: [],
            diagnostics: [
              {
                severity: 'error',
                code: 'PARSE_BUDGET_EXCEEDED',
                message: `${path} was not parsed: parsing this commit's manifests took longer than 5000 ms in all (PARSE_BUDGET_MS); none of its dependencies are listed`,
              },
            ],
          })),
        );
        // The budget ends with the call: the next one parses.
        const [next] = await budgeted.parseAll([GOOD]);
        expect(next!.dependencies).toHaveLength(2);
      } finally {
        await budgeted.close();
      }
    }, 60_000);
  });

  describe('with a parser that misbehaves otherwise', () => {
    let pool: PiscinaManifestParserPool;

    beforeAll(() => {
      pool = new PiscinaManifestParserPool({
        threads: 1,
        deadlineMs: 60_000,
        memoryMb: 64,
        parserModule: STALLING_PARSER_MODULE,
      });
    });
    afterAll(() => pool.close());

    it('answers PARSER_FAILED for a file whose parse exhausts the heap, replaces the thread, parses the rest', async () => {
      const hoard = { path: 'deep/requirements.txt', text: `${HOARD_MARKER}\nrequests==2.19.0\n` };
      const [failed, good] = await pool.parseAll([hoard, GOOD]);

      expect(failed).toEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'PARSER_FAILED',
            message:
              'deep/requirements.txt could not be parsed: the parser ran out of memory (PARSE_MEMORY_MB); none of its dependencies are listed',
          },
        ],
      });
      expect(good).toEqual(parseManifest(GOOD.path, GOOD.text));
      expect(pool.threads).toHaveLength(1);
    }, 60_000);

    it('caps the diagnostics of a file and the length of each message', async () => {
      const flood = { path: 'flood/requirements.txt', text: `${FLOOD_MARKER}\nrequests==2.19.0\n` };
      const [result] = await pool.parseAll([flood]);

      expect(result!.dependencies.map((d) => `${d.name}@${d.version}`)).toEqual(['requests@2.19.0']);
      expect(result!.diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_MANIFEST + 1);
      for (const d of result!.diagnostics)
        expect(d.message.length).toBeLessThanOrEqual(MAX_DIAGNOSTIC_MESSAGE_CHARS);
      expect(result!.diagnostics[0]!.message).toMatch(/^line 1: cannot read "x+…$/);
      // The parser gave 1,000 (plus the real parser's own, none here), each a line it could not
      // read: the summary is an error, so the manifest stays incomplete.
      expect(result!.diagnostics.at(-1)).toEqual({
        severity: 'error',
        code: 'DIAGNOSTICS_TRUNCATED',
        message: `900 more diagnostics were left out (at most ${MAX_DIAGNOSTICS_PER_MANIFEST} are kept per manifest)`,
      });
    }, 30_000);
  });

  it('closes right after a timeout with no thread left or started again', async () => {
    // A real parser on a large lock file, stopped mid-way: its thread takes a moment to exit.
    const pool = new PiscinaManifestParserPool({ threads: 2, deadlineMs: 100 });
    const [big] = await pool.parseAll([bigPackageLock(200_000)]);
    expect(big!.diagnostics[0]!.code).toBe('PARSE_TIMEOUT');
    await pool.close();
    // piscina starts a replacement when a stopped thread exits after the pool was destroyed.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(pool.threads).toEqual([]);
  }, 30_000);

  describe('with the real parsers', () => {
    let pool: PiscinaManifestParserPool;

    beforeAll(() => {
      pool = new PiscinaManifestParserPool({ threads: 1, deadlineMs: 10_000 });
    });
    afterAll(() => pool.close());

    it('answers exactly what parseManifest answers, in the order given', async () => {
      const files = [
        GOOD,
        {
          path: 'package-lock.json',
          text: '{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0"}}}',
        },
        { path: 'Cargo.lock', text: 'not [toml' },
        { path: 'README.md', text: '# hello' },
      ];
      const results = await pool.parseAll(files);
      expect(results).toEqual(files.map((f) => parseManifest(f.path, f.text)));
    }, 30_000);

    it('follows includes through the caller, nested ones too, and reports refusals and misses', async () => {
      const texts = new Map<string, string>([
        ['reqs/base.txt', '-r common.txt\nattrs==23.1.0\n'],
        ['reqs/common.txt', 'six==1.16.0\n'],
      ]);
      const asked: string[] = [];
      const readInclude = (includePath: string) => {
        asked.push(includePath);
        if (includePath === 'reqs/secret.txt') return { refused: 'it is outside what is being scanned' };
        return texts.get(includePath);
      };
      const file = {
        path: 'reqs/requirements.txt',
        text: '-r base.txt\n-r secret.txt\n-r gone.txt\nflask==0.12\n',
      };

      const [result] = await pool.parseAll([file], { readInclude });

      // Each include is read once, however many rounds the nesting took.
      expect([...asked].sort()).toEqual([
        'reqs/base.txt',
        'reqs/common.txt',
        'reqs/gone.txt',
        'reqs/secret.txt',
      ]);
      expect(result).toEqual(parseManifest(file.path, file.text, { readInclude }));
      expect(result!.dependencies.map((d) => d.name).sort()).toEqual(['attrs', 'flask', 'six']);
      expect(result!.diagnostics.map((d) => d.code).sort()).toEqual([
        'INCLUDE_NOT_FOUND',
        'INCLUDE_OUTSIDE_ROOT',
      ]);
    }, 30_000);

    it('refuses work once closed', async () => {
      const closing = new PiscinaManifestParserPool({ threads: 1, deadlineMs: 1_000 });
      await closing.close();
      await expect(closing.parseAll([GOOD])).rejects.toThrow(/parser pool is closed/);
    }, 30_000);
  });
});

function bigPackageLock(packages: number) {
  const entries: Record<string, { version: string }> = {};
  for (let i = 0; i < packages; i++) entries[`node_modules/pkg-${i}`] = { version: `1.0.${i % 100}` };
  return { path: 'package-lock.json', text: JSON.stringify({ lockfileVersion: 3, packages: entries }) };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Pushes 'thread stopped' into `events` each time one of the pool's threads exits, replacements
 * included (piscina starts one as it stops the other, so it is there when the exit comes).
 */
function recordThreadExits(pool: PiscinaManifestParserPool, events: string[]) {
  const watched = new Set<Worker>();
  let stopped = false;
  const watch = () => {
    for (const thread of pool.threads) {
      if (watched.has(thread)) continue;
      watched.add(thread);
      thread.once('exit', () => {
        if (stopped) return;
        events.push('thread stopped');
        watch();
      });
    }
  };
  watch();
  return { stop: () => (stopped = true) };
}

/** Counts 100 ms timer ticks on this thread's event loop until stopped. */
function countTicks() {
  const ticks = { count: 0, stop: () => clearInterval(interval) };
  const interval = setInterval(() => ticks.count++, 100);
  return ticks;
}
