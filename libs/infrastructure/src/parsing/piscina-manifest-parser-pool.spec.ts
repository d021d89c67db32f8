import { parseManifest } from '@repoguard/domain';
import { PiscinaManifestParserPool } from './piscina-manifest-parser-pool';
import { STALL_MARKER, STALLING_PARSER_MODULE } from './stalling-parser.test-helper';

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
      const started = Date.now();
      const [stuck, good] = await pool.parseAll([STUCK, GOOD]);
      const elapsed = Date.now() - started;
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
      expect(elapsed).toBeGreaterThanOrEqual(deadlineMs);
      expect(elapsed).toBeLessThan(deadlineMs + 10_000);
      // The caller's event loop stayed free (where the activity's heartbeats run) all along.
      expect(ticks.count).toBeGreaterThan(elapsed / 100 / 2);
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

/** Counts 100 ms timer ticks on this thread's event loop until stopped. */
function countTicks() {
  const ticks = { count: 0, stop: () => clearInterval(interval) };
  const interval = setInterval(() => ticks.count++, 100);
  return ticks;
}
