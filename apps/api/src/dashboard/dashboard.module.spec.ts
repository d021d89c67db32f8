import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dashboardDirectory } from './dashboard.module';

describe('where the API finds the built dashboard', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'repoguard-web-dir-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes WEB_DIST_DIR when it holds an index.html, and serves nothing when it does not', () => {
    expect(dashboardDirectory({ WEB_DIST_DIR: dir })).toBeNull();
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    expect(dashboardDirectory({ WEB_DIST_DIR: dir })).toBe(dir);
  });

  it('otherwise looks for dist/apps/web above its own folder (the repository or the image root)', () => {
    const found = dashboardDirectory({});
    if (found !== null) expect(found.endsWith(path.join('dist', 'apps', 'web'))).toBe(true);
  });
});
