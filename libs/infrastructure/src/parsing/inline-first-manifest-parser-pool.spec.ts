import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ManifestToParse, ParseAllOptions } from '@repoguard/domain';
import { InlineFirstManifestParserPool } from './inline-first-manifest-parser-pool';
import {
  PiscinaManifestParserPool,
  type PiscinaManifestParserPoolOptions,
} from './piscina-manifest-parser-pool';
import { STALL_MARKER, STALLING_PARSER_MODULE } from './stalling-parser.test-helper';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/manifests');

/** Every manifest fixture (broken and truncated ones included) under its path there. */
function fixtures(): ManifestToParse[] {
  return (readdirSync(FIXTURES, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({
      path: path.relative(FIXTURES, file).split(path.sep).join('/'),
      text: readFileSync(file, 'utf8'),
    }));
}

/** The pool under test with the thread pools it starts counted (real ones, closed with it). */
function inlineFirst(options: Partial<PiscinaManifestParserPoolOptions> & { inlineMaxChars?: number } = {}) {
  const started: PiscinaManifestParserPool[] = [];
  const pool = new InlineFirstManifestParserPool(
    { threads: 1, deadlineMs: 10_000, inlineMaxChars: 1 << 20, ...options },
    (threadOptions) => {
      const threads = new PiscinaManifestParserPool(threadOptions);
      started.push(threads);
      return threads;
    },
  );
  return { pool, started };
}

// An include chain longer than the thread pool's include rounds, and a cycle.
const INCLUDES: Record<string, string> = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [`req-${i}.txt`, `-r req-${i + 1}.txt\npkg-${i}==1.0.${i}\n`]),
);
INCLUDES['loop-a.txt'] = '-r loop-b.txt\nsix==1.16.0\n';
INCLUDES['loop-b.txt'] = '-r loop-a.txt\nattrs==21.0.0\n';
const readInclude: ParseAllOptions['readInclude'] = (include) =>
  include === 'refused.txt' ? { refused: 'it is outside' } : INCLUDES[include];

describe('InlineFirstManifestParserPool', () => {
  it('parses small inputs on the calling thread exactly as the parser threads do, starting none', async () => {
    const files = [
      ...fixtures(),
      { path: 'chain/requirements.txt', text: '-r req-0.txt\nrequests==2.19.0\n' },
      { path: 'loop/requirements.txt', text: '-r loop-a.txt\n-r missing.txt\n-r refused.txt\n' },
    ];
    const { pool, started } = inlineFirst();
    const threads = new PiscinaManifestParserPool({ threads: 1, deadlineMs: 30_000 });
    try {
      const inline = await pool.parseAll(files, { readInclude });
      expect(started).toHaveLength(0);
      expect(inline).toEqual(await threads.parseAll(files, { readInclude }));
      expect(inline.length).toBeGreaterThan(30);
    } finally {
      await Promise.all([pool.close(), threads.close()]);
    }
  }, 60_000);

  it('hands inputs larger than inlineMaxChars to parser threads', async () => {
    const { pool, started } = inlineFirst({ inlineMaxChars: 20 });
    try {
      const [result] = await pool.parseAll([
        { path: 'requirements.txt', text: 'requests==2.19.0\nflask==0.12\n' },
      ]);
      expect(started).toHaveLength(1);
      expect(result!.dependencies.map((d) => d.name)).toEqual(['requests', 'flask']);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('counts included files toward inlineMaxChars, handing the file to threads past it', async () => {
    const { pool, started } = inlineFirst({ inlineMaxChars: 100 });
    try {
      const [result] = await pool.parseAll([{ path: 'requirements.txt', text: '-r big.txt\n' }], {
        readInclude: (include) =>
          include === 'big.txt' ? `six==1.16.0\n${'# padding\n'.repeat(20)}` : undefined,
      });
      expect(result!.dependencies.map((d) => d.name)).toEqual(['six']);
      expect(started).toHaveLength(1);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('stops a parse stuck on the calling thread at the deadline, then parses the rest on threads', async () => {
    const deadlineMs = 300;
    const { pool, started } = inlineFirst({ deadlineMs, parserModule: STALLING_PARSER_MODULE });
    const good = { path: 'requirements.txt', text: 'requests==2.19.0\n' };
    try {
      const begun = Date.now();
      const results = await pool.parseAll([
        good,
        { path: 'a/requirements.txt', text: `${STALL_MARKER}\nsix==1.16.0\n` },
        good,
      ]);
      expect(Date.now() - begun).toBeLessThan(10_000);
      expect(results.map((r) => r.diagnostics.map((d) => d.code))).toEqual([[], ['PARSE_TIMEOUT'], []]);
      expect(results[1]!.diagnostics[0]!.message).toBe(
        `a/requirements.txt took longer than ${deadlineMs} ms to parse (PARSE_DEADLINE_MS) and was stopped; none of its dependencies are listed`,
      );
      expect(results[2]!.dependencies.map((d) => d.name)).toEqual(['requests']);
      // A parse stopped half-way may leave a parser's module state behind it: nothing more runs here.
      expect(started).toHaveLength(1);
      const [later] = await pool.parseAll([good]);
      expect(later!.dependencies).toHaveLength(1);
      expect(started).toHaveLength(1);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('gives the files after an inline timeout only what is left of the budget of the call', async () => {
    // The stuck file spends 1,000 of the 1,200 ms; a fresh budget for the rest would let the next
    // stuck file run to its own deadline, 2,000 ms and more in all.
    const { pool } = inlineFirst({
      deadlineMs: 1_000,
      budgetMs: 1_200,
      parserModule: STALLING_PARSER_MODULE,
    });
    const stuck = (dir: string) => ({
      path: `${dir}/requirements.txt`,
      text: `${STALL_MARKER}\nsix==1.16.0\n`,
    });
    try {
      const begun = Date.now();
      const results = await pool.parseAll([stuck('a'), stuck('b')]);
      expect(Date.now() - begun).toBeLessThan(1_900);
      expect(results.map((r) => r.diagnostics.map((d) => d.code))).toEqual([
        ['PARSE_TIMEOUT'],
        ['PARSE_BUDGET_EXCEEDED'],
      ]);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('refuses work once closed', async () => {
    const { pool } = inlineFirst();
    await pool.close();
    await expect(pool.parseAll([{ path: 'requirements.txt', text: 'six==1.16.0\n' }])).rejects.toThrow(
      /closed/,
    );
  });
});
