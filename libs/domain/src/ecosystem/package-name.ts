import type { Ecosystem } from './ecosystem.value-object';

/** Lowercase letters and digits, single `-` between them: what PEP 503 normalisation leaves as is. */
const PEP503_NORMAL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Names as OSV and the registries spell them, so a dependency and an advisory meet on the same
 * key: PEP 503 for PyPI (`Django_REST.framework` → `django-rest-framework`), lowercase for
 * Packagist, `group:artifact` for Maven, everything else as published (npm scopes, Go module
 * paths and crate names keep their case).
 */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  const trimmed = name.trim();
  switch (ecosystem) {
    case 'PyPI':
      // Most names are already normal; checking first spares two new strings per dependency.
      return PEP503_NORMAL.test(trimmed) ? trimmed : trimmed.toLowerCase().replace(/[-_.]+/g, '-');
    case 'Packagist':
      return trimmed.toLowerCase();
    case 'Maven': {
      // Gradle and some tools write group/artifact or group:artifact:version; keep group:artifact.
      // Most names are that already; checking first spares three allocations per dependency.
      const colon = trimmed.indexOf(':');
      if (colon !== -1 && trimmed.indexOf(':', colon + 1) === -1 && !trimmed.includes('/')) return trimmed;
      return trimmed.split(/[:/]/).slice(0, 2).join(':');
    }
    default:
      return trimmed;
  }
}
