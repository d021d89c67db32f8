// Grep-able import rules the linter does not express: where persistence may be named, and that
// tests and benchmarks reach the apps only as processes (never by importing their code).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** Every module specifier a file imports, re-exports, requires or imports dynamically. */
export function importsOf(source: string): { specifier: string; names: string[] }[] {
  const found: { specifier: string; names: string[] }[] = [];
  // Reads only this repository's own source files, small and trusted: no hostile input reaches it.
  // eslint-disable-next-line regexp/no-super-linear-backtracking
  const statement = /(?:import|export)\s+(?:type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(statement)) {
    const names = (match[1]!.match(/[A-Z_$][\w$]*/gi) ?? []).filter((n) => n !== 'type' && n !== 'as');
    found.push({ specifier: match[2]!, names });
  }
  for (const match of source.matchAll(/(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ specifier: match[1]!, names: [] });
  }
  for (const match of source.matchAll(/^[ \t]*import\s+['"]([^'"]+)['"]/gm)) {
    found.push({ specifier: match[1]!, names: [] });
  }
  return found;
}

/** A test or benchmark importing app code instead of starting the app. */
export function appImportsIn(file: string, source: string): string[] {
  return importsOf(source)
    .filter(({ specifier }) => /(?:^|\/)apps\//.test(specifier))
    .map(({ specifier }) => `${file}: imports ${specifier}`);
}

// The API's composition root: the modules and the providers that bind ports to adapters.
const API_COMPOSITION_ROOT = [/^apps\/api\/src\/composition\//, /^apps\/api\/src\/(app|api-v1)\.module\.ts$/];

/** An API file outside the composition root naming a MikroORM entity. */
export function entityImportsIn(file: string, source: string): string[] {
  if (API_COMPOSITION_ROOT.some((pattern) => pattern.test(file))) return [];
  return importsOf(source)
    .filter(
      ({ specifier }) => specifier === '@repoguard/infrastructure' || /persistence\/entities/.test(specifier),
    )
    .flatMap(({ specifier, names }) =>
      names
        .filter((name) => /Entity$/.test(name))
        .map((name) => `${file}: imports ${name} from ${specifier}`),
    );
}

describe('import rules', () => {
  it('no test or benchmark imports from apps/ (they start the apps as processes)', () => {
    // test/architecture holds the probes below, as strings.
    const files = [...tsFiles('test'), ...tsFiles('bench')].filter(
      (f) => !f.startsWith('test/architecture/'),
    );
    const offenders = files.flatMap((file) =>
      appImportsIn(file, readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('apps/api imports no MikroORM entity outside its composition root', () => {
    const offenders = tsFiles('apps/api/src')
      .filter((file) => !file.endsWith('.spec.ts'))
      .flatMap((file) => entityImportsIn(file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  describe('the rules fire', () => {
    it.each([
      ["import { createApiApp } from '../../apps/api/src/app.factory';"],
      ["import type { CommandIo } from '../apps/cli/src/command-io';"],
      ["const { runCli } = require('../../apps/cli/src/cli');"],
      ["export { WorkerConfig } from '../../apps/worker/src/config/worker.config';"],
    ])('flags a test that says %s', (line) => {
      expect(appImportsIn('test/probe.e2e-spec.ts', line)).toHaveLength(1);
    });

    it('lets a test start an app by path', () => {
      expect(appImportsIn('test/probe.ts', "startApp('apps/api/src/main.ts', env);")).toEqual([]);
    });

    it.each([
      ["import { RepositoryEntity, recordAudit } from '@repoguard/infrastructure';", 1],
      ["import {\n  type ScanEntity,\n  FindingEntity,\n} from '@repoguard/infrastructure';", 2],
      ["import { ApiKeyEntity } from '../../libs/infrastructure/src/persistence/entities';", 1],
      ["import { MikroOrmUnitOfWork } from '@repoguard/infrastructure';", 0],
    ])('counts the entities in %s', (line, count) => {
      expect(entityImportsIn('apps/api/src/probe/probe.controller.ts', line as string)).toHaveLength(
        count as number,
      );
      expect(entityImportsIn('apps/api/src/composition/probe.providers.ts', line as string)).toEqual([]);
    });
  });
});
