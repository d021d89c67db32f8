import {
  capDiagnostics,
  MAX_DIAGNOSTIC_MESSAGE_CHARS,
  MAX_DIAGNOSTICS_PER_MANIFEST,
} from './diagnostic-limits';
import type { ManifestDiagnostic, ManifestParseResult } from './manifest.types';
import { isUnreadDiagnostic } from './unread-diagnostic';

describe('capDiagnostics', () => {
  const dependency = {
    ecosystem: 'PyPI' as const,
    name: 'requests',
    version: '2.19.0',
    scope: 'runtime' as const,
    direct: true,
    manifestPath: 'requirements.txt',
  };
  const warning = (i: number, message = `line ${i} skipped`): ManifestDiagnostic => ({
    severity: 'warning',
    code: 'INVALID_SYNTAX',
    message,
    line: i,
  });

  it('returns a result within the limits as it is', () => {
    const result: ManifestParseResult = {
      dependencies: [dependency],
      diagnostics: Array.from({ length: MAX_DIAGNOSTICS_PER_MANIFEST }, (_, i) =>
        warning(i + 1, 'm'.repeat(MAX_DIAGNOSTIC_MESSAGE_CHARS)),
      ),
    };
    expect(capDiagnostics(result)).toBe(result);
  });

  it('keeps the first diagnostics and says how many more were left out', () => {
    const diagnostics = Array.from({ length: 5_000 }, (_, i) => warning(i + 1));
    const capped = capDiagnostics({ dependencies: [dependency], diagnostics });

    expect(capped.dependencies).toEqual([dependency]);
    expect(capped.diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_MANIFEST + 1);
    expect(capped.diagnostics.slice(0, -1)).toEqual(diagnostics.slice(0, MAX_DIAGNOSTICS_PER_MANIFEST));
    // The lines left out were skipped as broken: an error, so the manifest stays incomplete.
    expect(capped.diagnostics.at(-1)).toEqual({
      severity: 'error',
      code: 'DIAGNOSTICS_TRUNCATED',
      message: '4900 more diagnostics were left out (at most 100 are kept per manifest)',
    });
  });

  it('gives the summary the severity of the worst diagnostic left out', () => {
    const diagnostics = [
      ...Array.from({ length: MAX_DIAGNOSTICS_PER_MANIFEST }, (_, i) => warning(i + 1)),
      { severity: 'info' as const, code: 'OPTION_IGNORED', message: 'ignored' },
      { severity: 'error' as const, code: 'INCLUDE_NOT_FOUND', message: 'base.txt is missing' },
    ];
    const capped = capDiagnostics({ dependencies: [], diagnostics });
    expect(capped.diagnostics.at(-1)).toMatchObject({ code: 'DIAGNOSTICS_TRUNCATED', severity: 'error' });
    expect(capped.diagnostics.at(-1)!.message).toMatch(/^2 more diagnostics/);
  });

  it('keeps a manifest incomplete when only diagnostics left out say part of it was not read', () => {
    const diagnostics: ManifestDiagnostic[] = [
      ...Array.from({ length: MAX_DIAGNOSTICS_PER_MANIFEST }, (_, i) => ({
        severity: 'info' as const,
        code: 'UNPINNED',
        message: `pkg${i} is not pinned`,
      })),
      warning(MAX_DIAGNOSTICS_PER_MANIFEST + 1),
    ];
    const capped = capDiagnostics({ dependencies: [], diagnostics });
    expect(capped.diagnostics.at(-1)).toMatchObject({ code: 'DIAGNOSTICS_TRUNCATED', severity: 'error' });
    expect(capped.diagnostics.some(isUnreadDiagnostic)).toBe(true);
  });

  it('cuts each long message to the limit, an ellipsis marking the cut, the rest of it kept', () => {
    const long = warning(7, `line 7: cannot read "${'x'.repeat(64 * 1024)}"`);
    const [cut] = capDiagnostics({ dependencies: [], diagnostics: [long] }).diagnostics;

    expect(cut!.message).toHaveLength(MAX_DIAGNOSTIC_MESSAGE_CHARS);
    expect(cut!.message).toBe(`${long.message.slice(0, MAX_DIAGNOSTIC_MESSAGE_CHARS - 1)}…`);
    expect(cut).toMatchObject({ severity: 'warning', code: 'INVALID_SYNTAX', line: 7 });
  });

  it('never leaves half a surrogate pair at the cut', () => {
    // An emoji (two UTF-16 units) straddling the cut.
    const message = `${'a'.repeat(MAX_DIAGNOSTIC_MESSAGE_CHARS - 2)}😀${'b'.repeat(10)}`;
    const [cut] = capDiagnostics({ dependencies: [], diagnostics: [warning(1, message)] }).diagnostics;
    expect(cut!.message).toBe(`${'a'.repeat(MAX_DIAGNOSTIC_MESSAGE_CHARS - 2)}…`);
    // A lone surrogate would not survive UTF-8 as it is.
    expect(new TextDecoder().decode(new TextEncoder().encode(cut!.message))).toBe(cut!.message);
  });
});
