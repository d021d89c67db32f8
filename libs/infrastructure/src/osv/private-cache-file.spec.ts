import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openPrivateFile, removePrivateFile, writePrivateFile } from './private-cache-file';

describe('private cache files', () => {
  let dir: string;
  beforeEach(() => (dir = path.join(mkdtempSync(path.join(tmpdir(), 'repoguard-private-')), 'cache')));
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('writes parts one after another, and reads parts back by place, short past the end', () => {
    const file = path.join(dir, 'texts');
    writePrivateFile(dir, file, [Buffer.from('alpha'), Buffer.alloc(0), Buffer.from('beta')]);
    expect(readFileSync(file, 'utf8')).toBe('alphabeta');
    const parts = openPrivateFile(dir, file)!;
    try {
      expect(parts.read(5, 4).toString()).toBe('beta');
      expect(parts.read(7, 10).toString()).toBe('ta');
      expect(parts.read(50, 3)).toHaveLength(0);
    } finally {
      parts.close();
    }
    removePrivateFile(dir, file);
    expect(openPrivateFile(dir, file)).toBeUndefined();
  });

  it('leaves no part of a file it could not put in place', () => {
    // The place is taken by a folder that is not empty: the rename fails after the write.
    const file = path.join(dir, 'texts');
    mkdirSync(path.join(file, 'inside'), { recursive: true, mode: 0o700 });
    writeFileSync(path.join(file, 'inside', 'kept'), 'x');
    writePrivateFile(dir, file, [Buffer.alloc(1024 * 1024, 1)]);
    writePrivateFile(dir, file, 'text');
    expect(readdirSync(dir)).toEqual(['texts']);
  });
});
