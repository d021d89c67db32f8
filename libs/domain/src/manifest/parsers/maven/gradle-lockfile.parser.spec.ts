import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { DependencyScope, ParsedDependency } from '../../manifest.types';
import { gradleLockfileParser } from './gradle-lockfile.parser';

const fixture = manifestFixtures('maven');

const locked = (name: string, version: string, line: number, scope: DependencyScope = 'runtime') =>
  ({
    ecosystem: 'Maven',
    name,
    version,
    scope,
    direct: false,
    manifestPath: 'gradle.lockfile',
    line,
  }) satisfies ParsedDependency;

describe('gradleLockfileParser', () => {
  it('emits every locked module, dev when only test configurations resolve it', () => {
    expect(gradleLockfileParser.parse('gradle.lockfile', fixture('gradle.lockfile'))).toStrictEqual({
      dependencies: [
        locked('com.fasterxml.jackson.core:jackson-annotations', '2.13.2', 4),
        locked('com.fasterxml.jackson.core:jackson-core', '2.13.2', 5),
        locked('com.fasterxml.jackson.core:jackson-databind', '2.13.2', 6),
        locked('com.google.guava:guava', '31.0.1-jre', 7),
        locked('com.google.guava:guava', '31.1-jre', 8), // another version for another configuration
        locked('org.apache.logging.log4j:log4j-core', '2.14.1', 9),
        locked('org.projectlombok:lombok', '1.18.22', 10),
        locked('org.springframework:spring-core', '5.3.15', 11),
        locked('org.testcontainers:postgresql', '1.16.3', 12, 'dev'),
        locked('junit:junit', '4.13.1', 13, 'dev'),
        locked('org.mockito:mockito-core', '4.2.0', 14, 'dev'),
      ],
      diagnostics: [],
    });
  });

  it('reads a CRLF lock with a BOM, tabs and spaces around "=", and reports malformed lines', () => {
    const text = fixture('crlf-bom-tabs.gradle.lockfile');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n\t');
    expect(gradleLockfileParser.parse('gradle.lockfile', text)).toStrictEqual({
      dependencies: [
        locked('com.squareup.okhttp3:okhttp', '4.9.0', 4),
        locked('com.squareup.okio:okio', '2.8.0', 5), // debug runtime as well as unit tests
        locked('junit:junit', '4.12', 6, 'dev'), // Android unit-test configurations only
      ],
      diagnostics: [
        {
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message:
            'expected "group:artifact:version=configurations": com.google.code.gson:gson=releaseRuntimeClasspath',
          line: 8,
        },
        {
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message: 'expected "group:artifact:version=configurations": =runtimeClasspath',
          line: 9,
        },
      ],
    });
  });

  it('keeps a line cut before its configurations and says so', () => {
    expect(gradleLockfileParser.parse('gradle.lockfile', fixture('truncated.gradle.lockfile'))).toStrictEqual(
      {
        dependencies: [
          locked('org.apache.commons:commons-text', '1.9', 2),
          locked('org.apache.commons:commons-lang3', '3.1', 3),
        ],
        diagnostics: [
          {
            severity: 'warning',
            code: 'MISSING_FIELD',
            message:
              'org.apache.commons:commons-lang3:3.1 has no "=configurations" part (truncated?); it was read as a runtime dependency',
            line: 3,
          },
        ],
      },
    );
  });

  it('reads nothing from an empty file', () => {
    expect(gradleLockfileParser.parse('gradle.lockfile', fixture('empty.gradle.lockfile'))).toStrictEqual({
      dependencies: [],
      diagnostics: [],
    });
  });

  it('refuses binary content', () => {
    expect(gradleLockfileParser.parse('gradle.lockfile', fixture('binary.gradle.lockfile'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'NOT_TEXT',
          message: 'gradle.lockfile is not a text file (binary content); it was skipped',
        },
      ],
    });
  });
});
