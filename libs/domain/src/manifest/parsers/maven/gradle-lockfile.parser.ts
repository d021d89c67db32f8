import { normalizePackageName } from '../../../ecosystem/package-name';
import type { ManifestDiagnostic, ManifestParser, ParsedDependency } from '../../manifest.types';
import { binaryDiagnostic, looksBinary, splitLines } from '../../manifest-text';

// testCompileClasspath, testFixturesRuntimeClasspath, integrationTestRuntimeClasspath,
// debugUnitTestRuntimeClasspath: what only the tests of a build resolve.
const TEST_CONFIGURATION = /^test(?:[A-Z]|$)|Test(?:[A-Z]|$)/;

/**
 * `gradle.lockfile` (Gradle 6.4+): one `group:artifact:version=configurations` line per locked
 * module. A module only test configurations resolve is a dev dependency. The lock does not say
 * what the build script declares, so every one is indirect.
 */
export const gradleLockfileParser: ManifestParser = {
  id: 'gradle-lockfile',
  ecosystem: 'Maven',
  parse(path, text) {
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const dependencies: ParsedDependency[] = [];
    const diagnostics: ManifestDiagnostic[] = [];
    splitLines(text).forEach((raw, index) => {
      const line = index + 1;
      const content = raw.trim();
      if (content === '' || content.startsWith('#')) return;
      const equals = content.indexOf('=');
      const coordinates = (equals < 0 ? content : content.slice(0, equals)).trim();
      // `empty=` lists the configurations that resolved nothing.
      if (coordinates === 'empty') return;
      // Exactly two colons, found without splitting: a line may hold a run of thousands of them.
      const first = coordinates.indexOf(':');
      const second = first < 0 ? -1 : coordinates.indexOf(':', first + 1);
      const twoColons = second >= 0 && coordinates.indexOf(':', second + 1) < 0;
      const group = twoColons ? coordinates.slice(0, first).trim() : '';
      const artifact = twoColons ? coordinates.slice(first + 1, second).trim() : '';
      const version = twoColons ? coordinates.slice(second + 1).trim() : '';
      if (!group || !artifact || !version) {
        diagnostics.push({
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message: `expected "group:artifact:version=configurations": ${content}`,
          line,
        });
        return;
      }
      if (equals < 0) {
        diagnostics.push({
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: `${coordinates} has no "=configurations" part (truncated?); it was read as a runtime dependency`,
          line,
        });
      }
      const testOnly = equals >= 0 && onlyTestConfigurations(content.slice(equals + 1));
      dependencies.push({
        ecosystem: 'Maven',
        name: normalizePackageName('Maven', `${group}:${artifact}`),
        version,
        scope: testOnly ? 'dev' : 'runtime',
        direct: false,
        manifestPath: path,
        line,
      });
    });
    return { dependencies, diagnostics };
  },
};

/**
 * Whether the comma-separated configurations name at least one, and only test ones. Read piece by
 * piece rather than split into an array: a line may hold a run of thousands of commas.
 */
function onlyTestConfigurations(list: string): boolean {
  let any = false;
  for (let start = 0; start <= list.length;) {
    const comma = list.indexOf(',', start);
    const end = comma === -1 ? list.length : comma;
    const name = list.slice(start, end).trim();
    if (name !== '') {
      if (!TEST_CONFIGURATION.test(name)) return false;
      any = true;
    }
    start = end + 1;
  }
  return any;
}
