import { loadConfig } from '@repoguard/infrastructure';
import { WorkerConfig } from './worker.config';

const BASE = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/repoguard' };

describe("the worker's SCAN_SLOTS_PER_ORG", () => {
  it('defaults to 2 and takes a whole number of slots', () => {
    expect(loadConfig(WorkerConfig, BASE).SCAN_SLOTS_PER_ORG).toBe(2);
    expect(loadConfig(WorkerConfig, { ...BASE, SCAN_SLOTS_PER_ORG: '8' }).SCAN_SLOTS_PER_ORG).toBe(8);
  });

  it.each(['0', '-1', '1.5', 'many'])('refuses %p, naming the variable', (value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, SCAN_SLOTS_PER_ORG: value })).toThrow(
      /SCAN_SLOTS_PER_ORG/,
    );
  });
});

describe("the worker's OSV_MIRROR_REFRESH_CHECK_MS", () => {
  it('defaults to 5 seconds and takes 0 (check before every match)', () => {
    expect(loadConfig(WorkerConfig, BASE).OSV_MIRROR_REFRESH_CHECK_MS).toBe(5000);
    expect(
      loadConfig(WorkerConfig, { ...BASE, OSV_MIRROR_REFRESH_CHECK_MS: '0' }).OSV_MIRROR_REFRESH_CHECK_MS,
    ).toBe(0);
  });

  it.each(['-1', '1.5', 'soon', '3600001'])('refuses %p, naming the variable', (value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, OSV_MIRROR_REFRESH_CHECK_MS: value })).toThrow(
      /OSV_MIRROR_REFRESH_CHECK_MS/,
    );
  });
});
