import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { scoreCvssVector } from '@repoguard/domain';
import { FileCvssScoreCache } from './file-cvss-score-cache';
import { checksum } from './private-cache-file';

/** The identity of the zips a check read (any will do: the file is bound to it, not read from it). */
const ZIPS = [{ dev: 2049, ino: 1234, size: 5678, mtimeMs: 1.7e12, ctimeMs: 1.7e12 }];
const zipsFor = (reader: string) =>
  reader === 'other zips' ? [{ ...ZIPS[0]!, ino: 4321, ctimeMs: 1.8e12 }] : ZIPS;

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N';

/** The file with its body edited and its header saying the edited body's hash, as its writer could. */
function forged(file: string, edit: (body: string) => string): void {
  const [header, body] = readFileSync(file, 'utf8').split('\n') as [string, string];
  const edited = edit(body);
  expect(edited).not.toBe(body);
  const fixed = JSON.parse(header) as { body: string };
  fixed.body = checksum(edited);
  writeFileSync(file, `${JSON.stringify(fixed)}\n${edited}`, { mode: 0o600 });
}

describe('FileCvssScoreCache', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'cvss-scores-')), 'osv-catalogs');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('answers as the calculator does, malformed vectors included', () => {
    const cache = new FileCvssScoreCache(dir, ZIPS);
    for (const vector of [V31, V40, 'CVSS:3.1/AV:X', 'not a vector'])
      expect(cache.score(vector)).toBe(scoreCvssVector(vector));
    expect(cache.score(V31)).toBe(9.8);
    expect(cache.score('not a vector')).toBeNull();
  });

  it('keeps the scores for the next check, in a private file, and rewrites it only when it learnt one', () => {
    const first = new FileCvssScoreCache(dir, ZIPS);
    first.score(V31);
    first.score(V40);
    first.save();
    const file = first.file();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // What the next check believes is the file's: a score only the file says proves it was read.
    forged(file, (body) => body.replace('9.8', '1.5'));
    const next = new FileCvssScoreCache(dir, ZIPS);
    expect(next.score(V31)).toBe(1.5);
    const before = readFileSync(file, 'utf8');
    next.save();
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  // Each file would otherwise make V31 score 1.5 (or 11): reading 9.8 shows it was ignored.
  it.each([
    [
      'written by another release',
      'bundle other',
      (file: string) => forged(file, (b) => b.replace('9.8', '1.5')),
    ],
    // As a copy restored onto another machine is: same bytes, but made for zips it does not have.
    ['made for other zips', 'other zips', (file: string) => forged(file, (b) => b.replace('9.8', '1.5'))],
    [
      'edited without its hash',
      'bundle one',
      (file: string) => writeFileSync(file, readFileSync(file, 'utf8').replace('9.8', '1.5')),
    ],
    [
      'holding a score CVSS has not',
      'bundle one',
      (file: string) => forged(file, (b) => b.replace('9.8', '11')),
    ],
    [
      'holding something else',
      'bundle one',
      (file: string) => forged(file, (b) => b.replace('9.8', '1.5').replace(/^\[/, '[{"a":1},')),
    ],
    [
      'cut short',
      'bundle one',
      (file: string) => {
        forged(file, (b) => b.replace('9.8', '1.5'));
        writeFileSync(file, readFileSync(file, 'utf8').slice(0, -3));
      },
    ],
  ])('ignores a file %s, and scores afresh', (_, reader: string, spoil: (file: string) => unknown) => {
    const cache = new FileCvssScoreCache(dir, ZIPS, 'bundle one');
    cache.score(V31);
    cache.save();
    spoil(cache.file());
    expect(
      new FileCvssScoreCache(dir, zipsFor(reader), reader === 'other zips' ? 'bundle one' : reader).score(
        V31,
      ),
    ).toBe(9.8);
  });

  it('neither reads nor writes where someone else could write', () => {
    const cache = new FileCvssScoreCache(dir, ZIPS);
    cache.score(V31);
    cache.save();
    forged(cache.file(), (body) => body.replace('9.8', '1.5'));
    chmodSync(cache.file(), 0o666);
    expect(new FileCvssScoreCache(dir, ZIPS).score(V31)).toBe(9.8);
    chmodSync(cache.file(), 0o600);
    chmodSync(dir, 0o777);
    expect(new FileCvssScoreCache(dir, ZIPS).score(V31)).toBe(9.8);
    rmSync(cache.file());
    const unsafe = new FileCvssScoreCache(dir, ZIPS);
    unsafe.score(V40);
    unsafe.save();
    expect(existsSync(unsafe.file())).toBe(false);
    chmodSync(dir, 0o700);
  });
});
