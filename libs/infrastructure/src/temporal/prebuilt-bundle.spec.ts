import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { prebuiltBundleFor, untracedBundlePath } from './workflow-bundler';

describe('the prebuilt workflow bundle a worker loads', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-bundles-'));
  const traced = path.join(dir, 'workflow-bundle.js');
  writeFileSync(traced, '// traced');

  it('is the one named while tracing', () => {
    writeFileSync(untracedBundlePath(traced), '// untraced');
    expect(prebuiltBundleFor(traced, true)).toBe(traced);
  });

  it('is the untraced one beside it when nothing traces', () => {
    writeFileSync(untracedBundlePath(traced), '// untraced');
    expect(prebuiltBundleFor(traced, false)).toBe(path.join(dir, 'workflow-bundle.untraced.js'));
  });

  it('is the one named when no untraced bundle was built beside it (an older build)', () => {
    const older = path.join(dir, 'older-bundle.js');
    writeFileSync(older, '// traced');
    expect(prebuiltBundleFor(older, false)).toBe(older);
  });
});
