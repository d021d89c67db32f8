import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import { normalizePackageName } from '../ecosystem/package-name';
import { evaluateAffected } from './is-affected';
import type { OsvRecord } from './osv-record';

/** The database said the record affects the dependency; the record itself says what fixes it. */
export function fixedVersionsFor(
  record: OsvRecord,
  dependency: { ecosystem: Ecosystem; name: string; version: string | null },
): string[] {
  if (dependency.version === null) return [];
  const ecosystem = dependency.ecosystem;
  const fixes = new Set<string>();
  for (const affected of record.affected ?? []) {
    if (affected.package?.ecosystem !== ecosystem) continue;
    if (normalizePackageName(ecosystem, affected.package.name) !== dependency.name) continue;
    evaluateAffected(affected, ecosystem, dependency.version).fixedVersions.forEach((v) => fixes.add(v));
  }
  return [...fixes];
}
