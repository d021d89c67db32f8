import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import type { ParsedDependency } from '../../manifest.types';
import { declaredOnce, itSurvivesHostileInput, RUNS } from '../hostile-input.test-helper';
import { gradleLockfileParser } from './gradle-lockfile.parser';

const valid = manifestFixtures('maven')('gradle.lockfile');
const TEST_CONFIGURATIONS = ['testCompileClasspath', 'testRuntimeClasspath', 'debugUnitTestRuntimeClasspath'];

const locked = fc.record({
  group: fc.oneof(
    fc.constantFrom('org.acme', 'com.google.guava'),
    fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/),
  ),
  artifact: fc.oneof(fc.constantFrom('core', 'guava'), fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/)),
  version: fc.oneof(fc.constantFrom('1.0', '31.1-jre'), fc.stringMatching(/^\d{1,3}(\.\d{1,3}){0,2}$/)),
  configurations: fc.subarray(['compileClasspath', 'runtimeClasspath', ...TEST_CONFIGURATIONS], {
    minLength: 1,
  }),
});

describe('gradleLockfileParser on hostile input', () => {
  itSurvivesHostileInput(gradleLockfileParser, 'gradle.lockfile', valid, { entries: 'a module' });

  it('reads back every generated line, each module version once, dev only when only tests resolve it', () => {
    fc.assert(
      fc.property(fc.array(locked, { maxLength: 30 }), (modules) => {
        const lines = ['# This is a Gradle generated file for dependency locking.'];
        const declared: ParsedDependency[] = [];
        for (const m of modules) {
          lines.push(`${m.group}:${m.artifact}:${m.version}=${m.configurations.join(',')}`);
          declared.push({
            ecosystem: 'Maven',
            name: `${m.group}:${m.artifact}`,
            version: m.version,
            scope: m.configurations.every((c) => TEST_CONFIGURATIONS.includes(c)) ? 'dev' : 'runtime',
            direct: false,
            manifestPath: 'gradle.lockfile',
            line: lines.length,
          });
        }
        lines.push('empty=annotationProcessor');
        expect(parseManifest('gradle.lockfile', lines.join('\n')).dependencies).toStrictEqual(
          declaredOnce(declared),
        );
      }),
      RUNS,
    );
  });

  it('reads coordinates as a split on colons would: exactly three non-blank parts, each trimmed', () => {
    const piece = fc.stringMatching(/^[a :.\t]{0,6}$/);
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
        const coordinates = pieces.join('');
        const parsed = parseManifest('gradle.lockfile', `${coordinates}=compileClasspath\n`);
        // The reading before the colon scan, kept here as the reference.
        const parts = coordinates.trim().split(':');
        const [group, artifact, version] = parts.map((p) => p.trim());
        const valid =
          coordinates.trim() !== 'empty' && parts.length === 3 && !!group && !!artifact && !!version;
        expect(parsed.dependencies.map((d) => [d.name, d.version])).toEqual(
          valid ? [[`${group}:${artifact}`.toLowerCase(), version]] : [],
        );
      }),
      RUNS,
    );
  });
});
