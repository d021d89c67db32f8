import fc from 'fast-check';
import { fixtureIncludes, manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { MAX_LINE_LENGTH } from '../../line-limits';
import type { ParsedDependency, ParseOptions } from '../../manifest.types';
import { requirementsTxtParser, scopeForFile } from './requirements-txt.parser';

const fixture = manifestFixtures('pypi/requirements');
const readInclude = fixtureIncludes('pypi/requirements');
const uglyFixture = manifestFixtures('ugly');

/** Parses a fixture under its own name, the path a scan would give. */
const parseFixture = (name: string, options?: ParseOptions) =>
  requirementsTxtParser.parse(name, fixture(name), options);

/** A requirement as the parser emits it from these (runtime) files: direct. */
const requirement =
  (manifestPath: string) =>
  (name: string, version: string | null, line: number, specifier?: string): ParsedDependency => ({
    ecosystem: 'PyPI',
    name,
    version,
    ...(specifier === undefined ? {} : { specifier }),
    scope: 'runtime',
    direct: true,
    manifestPath,
    line,
  });

/** Terse dependency rows: [name, version, specifier, line]. */
const rows = (deps: ParsedDependency[]) => deps.map((d) => [d.name, d.version, d.specifier, d.line]);
const codes = (result: { diagnostics: { code: string; line?: number }[] }) =>
  result.diagnostics.map((d) => [d.code, d.line]);

describe('requirementsTxtParser', () => {
  it('identifies itself', () => {
    expect([requirementsTxtParser.id, requirementsTxtParser.ecosystem]).toEqual(['requirements-txt', 'PyPI']);
  });

  describe('basic.txt: the requirement grammar', () => {
    const result = parseFixture('basic.txt');

    it('emits pins, ranges and bare names with PEP 503 names and the first physical line', () => {
      const dep = requirement('basic.txt');
      expect(result.dependencies).toEqual([
        dep('django', '3.2.0', 8),
        dep('requests', '2.31.0', 9),
        dep('urllib3', '1.26.5', 10),
        dep('pyyaml', null, 11, '>=5.4,<6'),
        dep('celery', null, 12, '~=5.2'),
        dep('flask', null, 13, ''),
        dep('jinja2', null, 14, '==2.*'),
        dep('importlib-metadata', '4.8.1', 15),
        dep('typing-extensions', null, 16, '>=4.0,!=4.6.0'),
        dep('gunicorn', '20.1.0', 17),
        dep('cryptography', '41.0.3', 18),
        dep('pillow', '9.0.0.post1', 21),
        dep('my-internal-lib', '2.0+local.1', 22),
        dep('aiohttp', null, 32, '>=3.8.0'),
        dep('boto3', '1.26.0', 35),
      ]);
    });

    it('reports options, unpinned, markers and unresolvable lines with their lines', () => {
      expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
        ['info', 'OPTION_IGNORED', 4],
        ['info', 'OPTION_IGNORED', 5],
        ['warning', 'UNKNOWN_ENV_VAR', 5],
        ['info', 'OPTION_IGNORED', 6],
        ['info', 'UNPINNED', 11],
        ['info', 'UNPINNED', 12],
        ['info', 'UNPINNED', 13],
        ['info', 'UNPINNED', 14],
        ['info', 'ENVIRONMENT_MARKER', 15],
        ['info', 'UNPINNED', 16],
        ['warning', 'UNRESOLVABLE', 23],
        ['warning', 'UNRESOLVABLE', 24],
        ['warning', 'UNRESOLVABLE', 25],
        ['warning', 'UNRESOLVABLE', 26],
        ['warning', 'UNRESOLVABLE', 27],
        ['warning', 'UNRESOLVABLE', 28],
        ['warning', 'UNRESOLVABLE', 29],
        ['info', 'OPTION_IGNORED', 30],
        ['info', 'OPTION_IGNORED', 31],
        ['info', 'ENVIRONMENT_MARKER', 32],
        ['info', 'UNPINNED', 32],
      ]);
    });

    it('says why each unresolvable line is skipped', () => {
      expect(result.diagnostics.filter((d) => d.code === 'UNRESOLVABLE').map((d) => d.message)).toEqual([
        '-e . is not scanned: editable install, no registry version to match',
        '-e git+https://github.com/acme/shared-utils.git@v1.2.0#egg=shared-utils is not scanned: editable install, no registry version to match',
        'acme-auth (git+https://github.com/acme/auth.git#egg=acme-auth) is not scanned: VCS URL, no registry version to match',
        'acme-metrics @ https://files.example.com/acme_metrics-1.0-py3-none-any.whl is not scanned: direct URL reference, no registry version to match',
        './vendor/legacy-sdk is not scanned: local path, no registry version to match',
        '../wheels/numpy-1.21.0-cp39-cp39-linux_x86_64.whl is not scanned: local path, no registry version to match',
        '/opt/dist/internal-1.0.tar.gz is not scanned: local path, no registry version to match',
      ]);
    });

    it('keeps the marker visible rather than dropping it silently', () => {
      expect(result.diagnostics.find((d) => d.code === 'ENVIRONMENT_MARKER')?.message).toBe(
        'importlib-metadata is kept whatever its marker "python_version < "3.8"" evaluates to',
      );
    });

    it('substitutes known variables, so a set token raises no warning', () => {
      const withEnv = parseFixture('basic.txt', { env: { PRIVATE_INDEX_TOKEN: 'pypi-secret' } });
      expect(withEnv.diagnostics.filter((d) => d.code === 'UNKNOWN_ENV_VAR')).toEqual([]);
      expect(withEnv.dependencies).toEqual(result.dependencies);
    });
  });

  describe('invalid.txt: lines pip would reject', () => {
    const result = parseFixture('invalid.txt');

    it('reports each bad line as INVALID_SYNTAX and keeps the valid ones', () => {
      expect(rows(result.dependencies)).toEqual([
        ['requests', '2.31.0', undefined, 2],
        ['six', '1.16.0', undefined, 11],
        ['click', '8.0.1', undefined, 14],
        ['idna', '3.2', undefined, 16],
      ]);
      expect(codes(result)).toEqual(
        [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15].map((line) => ['INVALID_SYNTAX', line]),
      );
    });

    it('explains what is wrong', () => {
      expect(result.diagnostics.map((d) => d.message)).toEqual([
        'invalid version specifier ">=" for django',
        'invalid version "1.0==2.0" after == for flask',
        'invalid version specifier "= 1.21.0" for numpy',
        'invalid environment marker "": empty marker',
        'invalid environment marker "python_versoin < "3.8"": unknown marker value "python_versoin"',
        '--hash must follow a requirement on the same (continued) line',
        'unknown option --frobnicate',
        '--requirement needs a value',
        '--hash needs sha256:, sha384: or sha512: and a hex digest, not "md5:d41d8cd98f00b204e9800998ecf8427e"',
        'invalid version "21.2.0#not-a-comment" after == for attrs',
        '"[security]" does not start with a package name',
        'invalid version specifier ">=7.0 extra" for pytest',
      ]);
    });
  });

  it('reads pip-compile output: hashes on continuation lines and "# via" comments', () => {
    const result = requirementsTxtParser.parse('requirements.txt', fixture('pip-compile.txt'));
    expect(rows(result.dependencies)).toEqual([
      ['anyio', '3.7.1', undefined, 9],
      ['certifi', '2023.7.22', undefined, 15],
      ['fastapi', '0.100.0', undefined, 21],
      ['h11', '0.14.0', undefined, 25],
      ['httpcore', '0.17.3', undefined, 31],
      ['httpx', '0.24.1', undefined, 35],
      ['idna', '3.4', undefined, 39],
      ['pydantic', '1.10.12', undefined, 45],
      ['sniffio', '1.3.0', undefined, 49],
      ['starlette', '0.27.0', undefined, 56],
      ['typing-extensions', '4.7.1', undefined, 60],
      ['uvicorn', '0.23.2', undefined, 64],
    ]);
    expect(codes(result)).toEqual([['OPTION_IGNORED', 7]]);
  });

  it('reads a Windows-edited file (BOM, CRLF, tabs) exactly like its LF twin', () => {
    const raw = fixture('windows-requirements.txt');
    expect(raw.startsWith('\uFEFF')).toBe(true);
    expect(raw).toContain('\r\n');
    const result = requirementsTxtParser.parse('requirements.txt', raw);
    expect(rows(result.dependencies)).toEqual([
      ['django', '4.2.3', undefined, 2],
      ['requests', '2.31.0', undefined, 3],
      ['numpy', null, '>=1.24', 7],
      ['pywin32', '306', undefined, 8],
    ]);
    expect(codes(result)).toEqual([
      ['ENVIRONMENT_MARKER', 7],
      ['UNPINNED', 7],
      ['ENVIRONMENT_MARKER', 8],
    ]);
    const lf = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    expect(requirementsTxtParser.parse('requirements.txt', lf)).toEqual(result);
  });

  it('reads the ugly fixture the CLI scans (BOM, CRLF, tabs, broken continuations) without syntax errors', () => {
    const result = requirementsTxtParser.parse('requirements.txt', uglyFixture('requirements.txt'));
    expect(rows(result.dependencies)).toEqual([
      ['django', '3.2.0', undefined, 4],
      ['requests', '2.19.0', undefined, 5],
      ['pyyaml', '5.3', undefined, 8],
      ['jinja2', '2.10', undefined, 10],
      ['urllib3', '1.24.1', undefined, 12],
      ['flask', '0.12', undefined, 13],
      ['gunicorn', null, '>=19.9,<20', 15],
    ]);
    expect(codes(result)).toEqual([
      ['OPTION_IGNORED', 2],
      ['ENVIRONMENT_MARKER', 8],
      ['UNPINNED', 15],
    ]);
  });

  it.each([
    'extra == "socks"',
    '(python_version < "3.8" or os_name == "nt") and platform_machine not in "arm64 aarch64"',
    "implementation_name == 'cpython' and python_full_version >= '3.11.2'",
    '"linux" in sys_platform',
  ])('accepts the marker %s', (marker) => {
    const result = requirementsTxtParser.parse('requirements.txt', `six==1.16.0 ; ${marker}`);
    expect(rows(result.dependencies)).toEqual([['six', '1.16.0', undefined, 1]]);
    expect(codes(result)).toEqual([['ENVIRONMENT_MARKER', 1]]);
  });

  it.each([
    ['python_version <', 'marker ends early'],
    ['python_version < "3.8" and', 'marker ends early'],
    ['(python_version < "3.8"', 'missing ")"'],
    ['python_version "3.8"', 'expected a comparison, found ""3.8""'],
    ['python_version < "3.8" os_name == "nt"', 'unexpected "os_name"'],
    ["python_version < '3.8", 'unexpected "\'3.8"'],
  ])('rejects the marker %s', (marker, why) => {
    const result = requirementsTxtParser.parse('requirements.txt', `six==1.16.0 ; ${marker}`);
    expect(result.dependencies).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['INVALID_SYNTAX', `invalid environment marker "${marker}": ${why}`],
    ]);
  });

  describe('includes and constraints (project/)', () => {
    const result = parseFixture('project/requirements.txt', { readInclude });

    it('parses -r files recursively with their own paths and applies -c pins to unpinned requirements', () => {
      const dep = (
        name: string,
        version: string | null,
        manifestPath: string,
        line: number,
        specifier?: string,
      ) => requirement(manifestPath)(name, version, line, specifier);
      expect(result.dependencies).toEqual([
        dep('certifi', '2023.7.22', 'project/common/pins.txt', 1),
        // The constraint is a range, and ranges in constraints files are not applied.
        dep('charset-normalizer', null, 'project/common/pins.txt', 2, '>=3.0'),
        dep('requests', '2.31.0', 'project/requirements/base.txt', 3),
        dep('pydantic', '1.10.12', 'project/requirements/base.txt', 4),
        dep('sqlalchemy', '1.4.49', 'project/requirements.txt', 4),
        dep('redis', '4.6.0', 'project/requirements.txt', 5),
        // constraints.txt pins alembic 1.12.0, outside <1.5: a conflict, so it stays unpinned.
        dep('alembic', null, 'project/requirements.txt', 6, '>=1.0,<1.5'),
        dep('sentry-sdk', '1.29.2', 'project/requirements/extra.in', 1),
      ]);
      expect(result.dependencies.map((d) => d.name)).not.toContain('flask');
    });

    it('anchors diagnostics from included files at the top-level directive and names the real place', () => {
      expect(result.diagnostics).toEqual([
        {
          severity: 'info',
          code: 'UNPINNED',
          message: 'project/common/pins.txt:2: charset-normalizer is not pinned to an exact version (>=3.0)',
          line: 2,
        },
        {
          severity: 'warning',
          code: 'INCLUDE_CYCLE',
          message:
            'project/requirements/base.txt:5: -r ../requirements.txt: project/requirements.txt is already being read',
          line: 2,
        },
        {
          severity: 'info',
          code: 'UNPINNED',
          message: 'alembic is not pinned to an exact version (>=1.0,<1.5)',
          line: 6,
        },
        {
          severity: 'warning',
          code: 'INCLUDE_NOT_FOUND',
          message: '-r ./requirements/missing.txt: project/requirements/missing.txt was not found',
          line: 7,
        },
        {
          severity: 'warning',
          code: 'INCLUDE_NOT_FOUND',
          message: '-r https://example.com/shared-requirements.txt: remote files are not fetched',
          line: 9,
        },
        {
          severity: 'warning',
          code: 'CONSTRAINT_CONFLICT',
          message:
            'alembic>=1.0,<1.5 does not allow 1.12.0 pinned by the constraint at project/constraints.txt:5',
          line: 6,
        },
      ]);
    });

    it('gives requirements-dev.txt its own dev scope while included runtime files keep runtime', () => {
      const dev = parseFixture('project/requirements-dev.txt', { readInclude });
      expect(dev.dependencies.map((d) => [d.name, d.version, d.scope])).toEqual([
        ['certifi', '2023.7.22', 'runtime'],
        ['charset-normalizer', null, 'runtime'],
        ['requests', '2.31.0', 'runtime'],
        ['pydantic', '1.10.12', 'runtime'],
        ['sqlalchemy', '1.4.49', 'runtime'],
        ['redis', '4.6.0', 'runtime'],
        ['alembic', null, 'runtime'],
        ['sentry-sdk', '1.29.2', 'runtime'],
        ['pytest', '7.4.0', 'dev'],
        ['pytest-cov', null, 'dev'],
      ]);
      // Everything found through `-r requirements.txt` is anchored at line 1 of the dev file.
      expect(codes(dev)).toEqual([
        ['UNPINNED', 1],
        ['INCLUDE_CYCLE', 1],
        ['UNPINNED', 1],
        ['INCLUDE_NOT_FOUND', 1],
        ['INCLUDE_NOT_FOUND', 1],
        ['UNPINNED', 3],
        ['CONSTRAINT_CONFLICT', 1],
      ]);
    });

    it('reports every include as missing when no reader is given', () => {
      const alone = parseFixture('project/requirements.txt');
      expect(codes(alone)).toEqual([
        ['INCLUDE_NOT_FOUND', 2],
        ['INCLUDE_NOT_FOUND', 3],
        ['UNPINNED', 4],
        ['UNPINNED', 5],
        ['UNPINNED', 6],
        ['INCLUDE_NOT_FOUND', 7],
        ['INCLUDE_NOT_FOUND', 8],
        ['INCLUDE_NOT_FOUND', 9],
      ]);
    });
  });

  it('stops include cycles and still reads both files once', () => {
    const result = parseFixture('cycle-a.txt', { readInclude });
    expect(rows(result.dependencies)).toEqual([
      ['attrs', '23.1.0', undefined, 2],
      ['six', '1.16.0', undefined, 3],
    ]);
    expect(result.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'INCLUDE_CYCLE',
        message: 'cycle-b.txt:1: -r ./cycle-a.txt: cycle-a.txt is already being read',
        line: 2,
      },
    ]);
  });

  it('reads a file reached twice (diamond includes) once, and a self-include is a cycle', () => {
    const files: Record<string, string> = {
      'reqs/left.txt': '-r shared.txt\nclick==8.1.7\n',
      'reqs/right.txt': '-r ./shared.txt\nrich==13.5.2\n',
      'reqs/shared.txt': 'attrs==23.1.0\n',
    };
    const result = requirementsTxtParser.parse('reqs/top.txt', '-r left.txt\n-r right.txt\n-r top.txt\n', {
      readInclude: (path) => files[path],
    });
    expect(result.dependencies.map((d) => [d.name, d.manifestPath])).toEqual([
      ['attrs', 'reqs/shared.txt'],
      ['click', 'reqs/left.txt'],
      ['rich', 'reqs/right.txt'],
    ]);
    expect(codes(result)).toEqual([['INCLUDE_CYCLE', 3]]);
  });

  it('never lets a throwing or binary include crash the parse', () => {
    const result = requirementsTxtParser.parse(
      'requirements.txt',
      '-r boom.txt\n-r blob.txt\nsix==1.16.0\n',
      {
        readInclude: (path) => {
          if (path === 'boom.txt') throw new Error('EACCES');
          return 'PK\u0003\u0004\u0000\u0000binary';
        },
      },
    );
    expect(rows(result.dependencies)).toEqual([['six', '1.16.0', undefined, 3]]);
    expect(codes(result)).toEqual([
      ['INCLUDE_NOT_FOUND', 1],
      ['NOT_TEXT', 2],
    ]);
  });

  describe('includes outside the scanned tree', () => {
    it('never asks the reader for an absolute path or one that climbs out, and names the include as written', () => {
      const asked: string[] = [];
      const result = requirementsTxtParser.parse(
        'app/requirements.txt',
        '-r /etc/passwd\n-c ../../outside.txt\n--requirement=C:\\secrets.txt\n-r ../shared/base.txt\nsix==1.16.0\n',
        {
          readInclude: (path) => {
            asked.push(path);
            return 'attrs==23.1.0\n';
          },
        },
      );
      expect(asked).toEqual(['shared/base.txt']);
      expect(rows(result.dependencies)).toEqual([
        ['attrs', '23.1.0', undefined, 1],
        ['six', '1.16.0', undefined, 5],
      ]);
      expect(result.diagnostics).toEqual([
        {
          severity: 'error',
          code: 'INCLUDE_OUTSIDE_ROOT',
          message: '-r /etc/passwd was not read: absolute include paths are never followed',
          line: 1,
        },
        {
          severity: 'error',
          code: 'INCLUDE_OUTSIDE_ROOT',
          message: '-c ../../outside.txt was not read: it climbs out of the scanned files',
          line: 2,
        },
        {
          severity: 'error',
          code: 'INCLUDE_OUTSIDE_ROOT',
          message: '-r C:\\secrets.txt was not read: absolute include paths are never followed',
          line: 3,
        },
      ]);
    });

    it('applies the same rule inside an included file, anchored at the top-level directive', () => {
      const files: Record<string, string> = { 'reqs/base.txt': 'click==8.1.7\n-r ../../../etc/shadow\n' };
      const result = requirementsTxtParser.parse('reqs/top.txt', '-r base.txt\n', {
        readInclude: (path) => files[path],
      });
      expect(result.dependencies.map((d) => d.name)).toEqual(['click']);
      expect(result.diagnostics).toEqual([
        {
          severity: 'error',
          code: 'INCLUDE_OUTSIDE_ROOT',
          message: 'reqs/base.txt:2: -r ../../../etc/shadow was not read: it climbs out of the scanned files',
          line: 1,
        },
      ]);
    });

    it("reports the reader's refusal without anything of the refused file", () => {
      const result = requirementsTxtParser.parse('requirements.txt', '-r link.txt\nsix==1.16.0\n', {
        readInclude: () => ({ refused: 'it resolves outside the scanned roots' }),
      });
      expect(rows(result.dependencies)).toEqual([['six', '1.16.0', undefined, 2]]);
      expect(result.diagnostics).toEqual([
        {
          severity: 'error',
          code: 'INCLUDE_OUTSIDE_ROOT',
          message: '-r link.txt was not read: it resolves outside the scanned roots',
          line: 1,
        },
      ]);
    });

    it('lets an absolute manifest path climb, leaving the reader to decide', () => {
      const asked: string[] = [];
      requirementsTxtParser.parse('/work/app/requirements.txt', '-r ../base.txt\n', {
        readInclude: (path) => {
          asked.push(path);
          return undefined;
        },
      });
      expect(asked).toEqual(['/work/base.txt']);
    });
  });

  it('uses a constraint pin for a bare requirement even when the constraint comes first', () => {
    const result = requirementsTxtParser.parse(
      'requirements.in',
      '-c constraints.txt\nDjango\nrequests==2.30.0\n',
      {
        readInclude: () => 'django==4.2.4\nrequests==2.31.0\n',
      },
    );
    expect(result.dependencies.map((d) => [d.name, d.version, d.specifier, d.direct])).toEqual([
      ['django', '4.2.4', undefined, true],
      ['requests', '2.30.0', undefined, true],
    ]);
    expect(codes(result)).toEqual([['CONSTRAINT_CONFLICT', 3]]);
  });

  it('compares arbitrary === versions without failing', () => {
    const result = requirementsTxtParser.parse('requirements.in', '-c c.txt\nfoo==1.0\nbar>=1\nbaz\n', {
      readInclude: () => 'foo===custom-build\nbar===2023.11.abc\nbaz===nightly\n',
    });
    expect(result.dependencies.map((d) => [d.name, d.version, d.specifier])).toEqual([
      ['foo', '1.0', undefined],
      ['bar', null, '>=1'],
      ['baz', 'nightly', undefined],
    ]);
    expect(codes(result)).toEqual([
      ['UNPINNED', 3],
      ['CONSTRAINT_CONFLICT', 2],
      ['CONSTRAINT_CONFLICT', 3],
    ]);
  });

  describe('${VAR} references', () => {
    const text = [
      'requests==${REQUESTS_VERSION}',
      'django==${DJANGO_VERSION}',
      '-e git+https://${GITHUB_TOKEN}@github.com/acme/private-lib.git#egg=private-lib',
      '--extra-index-url https://${PRIVATE_INDEX_TOKEN}@pypi.internal.example.com/simple',
      'flask==${lowercase}',
    ].join('\n');
    const result = requirementsTxtParser.parse('requirements.txt', text, {
      env: { REQUESTS_VERSION: '2.31.0', GITHUB_TOKEN: 'ghp_s3cr3t' },
    });

    it('substitutes known ones and leaves out lines an unknown one makes invalid', () => {
      expect(rows(result.dependencies)).toEqual([['requests', '2.31.0', undefined, 1]]);
      expect(result.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
        ['UNKNOWN_ENV_VAR', 2, '${DJANGO_VERSION} is not set; the line was left out'],
        [
          'UNRESOLVABLE',
          3,
          '-e git+https://***@github.com/acme/private-lib.git#egg=private-lib is not scanned: editable install, no registry version to match',
        ],
        ['OPTION_IGNORED', 4, '--extra-index-url is ignored; only requirements are read'],
        ['UNKNOWN_ENV_VAR', 4, '${PRIVATE_INDEX_TOKEN} is not set; it was kept as written'],
        // pip expands only ${UPPER_CASE} names; this one stays literal and the version is invalid.
        ['INVALID_SYNTAX', 5, 'invalid version "${lowercase}" after == for flask'],
      ]);
    });

    it("names a line's unset references in one diagnostic, the first 20 of them", () => {
      const refs = (n: number) => Array.from({ length: n }, (_, i) => `\${V${i}}`);
      const unknown = (line: string) =>
        requirementsTxtParser
          .parse('requirements.txt', line)
          .diagnostics.filter((d) => d.code === 'UNKNOWN_ENV_VAR')
          .map((d) => d.message);
      expect(unknown(`--extra-index-url https://${refs(2).join('')}@pypi.example.com/simple`)).toEqual([
        '${V0} and ${V1} are not set; it was kept as written',
      ]);
      expect(unknown(`a==${refs(25).join('')}`)).toEqual([
        `${refs(20).join(', ')} and 5 more are not set; the line was left out`,
      ]);
    });

    it('never puts a substituted secret into a message', () => {
      expect(JSON.stringify(result)).not.toContain('ghp_s3cr3t');
    });

    it('finds references as the expression `\\$\\{([A-Z0-9_]+)\\}` does, in any text around them', () => {
      const env = { A: '1', B_2: '2.0' };
      const piece = fc.constantFrom(
        '${',
        '}',
        '$',
        '{',
        'A',
        'B_2',
        'C',
        '9',
        '_',
        'x',
        '==',
        ' ',
        '.',
        '${A}',
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
          const line = `pkg==1 ${pieces.join('')}`;
          const expectedText = line.replace(/\$\{([A-Z0-9_]+)\}/g, (reference, name: string) =>
            Object.hasOwn(env, name) ? env[name as keyof typeof env] : reference,
          );
          const unset = new Set(
            [...line.matchAll(/\$\{([A-Z0-9_]+)\}/g)]
              .filter(([, name]) => !Object.hasOwn(env, name as string))
              .map(([reference]) => reference),
          );
          const parsed = requirementsTxtParser.parse('requirements.txt', line, { env });
          const reported = parsed.diagnostics.filter((d) => d.code === 'UNKNOWN_ENV_VAR');
          // One diagnostic for the line, naming the first 20 unset references in order.
          const names = [...unset];
          const listed = names.slice(0, 20);
          const expected =
            names.length === 0
              ? []
              : names.length === 1
                ? [`${names[0]} is not set`]
                : names.length > 20
                  ? [`${listed.join(', ')} and ${names.length - 20} more are not set`]
                  : [`${listed.slice(0, -1).join(', ')} and ${listed.at(-1)} are not set`];
          expect(reported.map((d) => d.message.slice(0, d.message.indexOf('; ')))).toEqual(expected);
          // What the requirement was read from: the same as the expanded text gives with no env.
          if (unset.size === 0) {
            expect(parsed.dependencies).toEqual(
              requirementsTxtParser.parse('requirements.txt', expectedText).dependencies,
            );
          }
        }),
        { numRuns: 500 },
      );
    });
  });

  it('joins continuation lines and reports the first physical line, even across a comment line', () => {
    const text = [
      'requests==2.31.0 \\',
      '    --hash=sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1 \\',
      '    # a comment ends the continuation',
      'flask\\',
      '==2.3.2',
      'numpy==1.25.2 \\',
    ].join('\n');
    const result = requirementsTxtParser.parse('requirements.txt', text);
    expect(rows(result.dependencies)).toEqual([
      ['requests', '2.31.0', undefined, 1],
      ['flask', '2.3.2', undefined, 4],
      ['numpy', '1.25.2', undefined, 6],
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('reads -r/-c spellings: attached, --long=value, --long value, quoted', () => {
    const files: Record<string, string> = {
      'a.txt': 'aa==1.0\n',
      'b.txt': 'bb==1.0\n',
      'c.txt': 'cc==1.0\n',
      'd d.txt': 'dd==1.0\n',
    };
    const result = requirementsTxtParser.parse(
      'requirements.txt',
      '-ra.txt\n--requirement b.txt\n-r c.txt\n-r "d d.txt"\n',
      {
        readInclude: (path) => files[path],
      },
    );
    expect(result.dependencies.map((d) => d.name)).toEqual(['aa', 'bb', 'cc', 'dd']);
    expect(result.diagnostics).toEqual([]);
  });

  it('reports a requirement listed twice with different versions, and drops an exact repeat', () => {
    const result = requirementsTxtParser.parse(
      'requirements.txt',
      'requests==2.31.0\nRequests==2.31.0\nrequests==2.28.0\n',
    );
    expect(rows(result.dependencies)).toEqual([
      ['requests', '2.31.0', undefined, 1],
      ['requests', '2.28.0', undefined, 3],
    ]);
    expect(result.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'DUPLICATE',
        message: 'requests is required again with ==2.28.0 (first at requirements.txt:1)',
        line: 3,
      },
    ]);
  });

  it('accepts === arbitrary pins, epochs, pre-releases and !=/~= ranges', () => {
    const text = 'foo===2023.11.abc\nbar==1!2.0\nbaz==3.0.0rc1\nqux!=1.0,~=1.4.2\nquux<=2,>1\n';
    const result = requirementsTxtParser.parse('requirements.txt', text);
    expect(rows(result.dependencies)).toEqual([
      ['foo', '2023.11.abc', undefined, 1],
      ['bar', '1!2.0', undefined, 2],
      ['baz', '3.0.0rc1', undefined, 3],
      ['qux', null, '!=1.0,~=1.4.2', 4],
      ['quux', null, '<=2,>1', 5],
    ]);
    expect(codes(result)).toEqual([
      ['UNPINNED', 4],
      ['UNPINNED', 5],
    ]);
  });

  it('rejects what packaging rejects: ~= with one segment, local versions on ranges, wildcards on >=', () => {
    const result = requirementsTxtParser.parse('requirements.txt', 'a~=1\nb>=1.0+local\nc>=1.*\nd==1.*.2\n');
    expect(result.dependencies).toEqual([]);
    expect(codes(result)).toEqual([1, 2, 3, 4].map((line) => ['INVALID_SYNTAX', line]));
  });

  it('returns nothing for empty and comment-only files', () => {
    expect(requirementsTxtParser.parse('requirements.txt', '')).toEqual({
      dependencies: [],
      diagnostics: [],
    });
    expect(requirementsTxtParser.parse('requirements.txt', '\uFEFF\r\n# only comments\r\n\t\r\n')).toEqual({
      dependencies: [],
      diagnostics: [],
    });
  });

  it('refuses binary content', () => {
    const result = requirementsTxtParser.parse('requirements.txt', 'requests==2.31.0\u0000\u0001\u0002');
    expect(result.dependencies).toEqual([]);
    expect(codes(result)).toEqual([['NOT_TEXT', undefined]]);
  });

  it('reads a 10,000-line file completely', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      lines.push(i % 4 === 3 ? `# section ${i}` : `package-${i}==${i % 7}.${i % 11}.${i}`);
    }
    const result = requirementsTxtParser.parse('requirements.txt', lines.join('\n'));
    expect(result.dependencies).toHaveLength(7_500);
    expect(result.dependencies[7_499]).toMatchObject({
      name: 'package-9998',
      version: '2.10.9998',
      line: 9_999,
    });
    expect(result.diagnostics).toEqual([]);
  });

  it('lists 20 conflicting repeats of a package, then one line counts the rest', () => {
    const text = Array.from({ length: 30 }, (_, i) => `same-name==1.0.${i}\n`).join('');
    const result = requirementsTxtParser.parse('requirements.txt', text);
    const duplicates = result.diagnostics.filter((d) => d.code === 'DUPLICATE');
    expect(duplicates).toHaveLength(21);
    expect(duplicates.slice(0, 20).map((d) => d.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(duplicates[20]).toEqual({
      severity: 'warning',
      code: 'DUPLICATE',
      message: '9 more repeated requirements were not listed',
    });
    expect(result.dependencies).toHaveLength(30);
  });

  describe('lines over MAX_LINE_LENGTH', () => {
    it('skips a long line with LINE_TOO_LONG naming it and reads the lines around it', () => {
      const long = `huge==1.0 ${'x'.repeat(MAX_LINE_LENGTH)}`;
      const result = requirementsTxtParser.parse('requirements.txt', `six==1.16.0\n${long}\nattrs==23.1.0\n`);
      expect(rows(result.dependencies)).toEqual([
        ['six', '1.16.0', undefined, 1],
        ['attrs', '23.1.0', undefined, 3],
      ]);
      expect(result.diagnostics).toEqual([
        {
          severity: 'warning',
          code: 'LINE_TOO_LONG',
          message: `line 2 is ${long.length} characters long, over the limit of ${MAX_LINE_LENGTH}; it was skipped`,
          line: 2,
        },
      ]);
    });

    it('reads a line of exactly the limit', () => {
      const line = `six==1.16.0 ${' '.repeat(MAX_LINE_LENGTH - 'six==1.16.0 '.length - 1)}x`;
      expect(line).toHaveLength(MAX_LINE_LENGTH);
      const result = requirementsTxtParser.parse('requirements.txt', `${line}\n`);
      expect(codes(result)).toEqual([['INVALID_SYNTAX', 1]]);
    });

    it('skips a continued line whose joined length passes the limit, from its first physical line', () => {
      const hashes = Array.from({ length: 1_200 }, (_, i) => `  --hash=sha256:${'a'.repeat(60)}${i} \\`);
      const text = ['six==1.16.0', 'django==4.2 \\', ...hashes, '  --hash=sha256:ff', 'attrs==23.1.0'].join(
        '\n',
      );
      const result = requirementsTxtParser.parse('requirements.txt', text);
      expect(rows(result.dependencies)).toEqual([
        ['six', '1.16.0', undefined, 1],
        ['attrs', '23.1.0', undefined, hashes.length + 4],
      ]);
      expect(codes(result)).toEqual([['LINE_TOO_LONG', 2]]);
    });

    it('counts a run of backslashes as written, though pip would strip it to nothing', () => {
      const text = `six==1.16.0\n${'\\'.repeat(MAX_LINE_LENGTH + 1)}\nflask==0.12\nattrs==23.1.0\n`;
      const result = requirementsTxtParser.parse('requirements.txt', text);
      expect(rows(result.dependencies)).toEqual([
        ['six', '1.16.0', undefined, 1],
        ['attrs', '23.1.0', undefined, 4],
      ]);
      expect(codes(result)).toEqual([['LINE_TOO_LONG', 2]]);
    });

    it('reports a long line inside an include at the -r line, naming the included file and line', () => {
      const result = requirementsTxtParser.parse('requirements.txt', '-r base.txt\n', {
        readInclude: () => `six==1.16.0\n${'y'.repeat(MAX_LINE_LENGTH + 1)}\n`,
      });
      expect(rows(result.dependencies)).toEqual([['six', '1.16.0', undefined, 1]]);
      expect(result.diagnostics).toEqual([
        expect.objectContaining({
          code: 'LINE_TOO_LONG',
          line: 1,
          message: expect.stringMatching(/^base\.txt:2: line 2 is/),
        }),
      ]);
    });
  });

  it('reads the egg name after # or & the way pip does', () => {
    const result = requirementsTxtParser.parse(
      'requirements.txt',
      'git+https://h/a.git#subdirectory=x&egg=first&egg=second\nhttps://h/b.zip#egg=\n',
    );
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'first (git+https://h/a.git#subdirectory=x&egg=first&egg=second) is not scanned: VCS URL, no registry version to match',
      'https://h/b.zip#egg= is not scanned: direct URL, no registry version to match',
    ]);
  });

  it('takes extras off a local archive name before recognising it', () => {
    const result = requirementsTxtParser.parse('requirements.txt', 'pkg-1.0.whl[extra]\npkg[[x]\n');
    expect(codes(result)).toEqual([
      ['UNRESOLVABLE', 1],
      ['INVALID_SYNTAX', 2],
    ]);
  });

  it('reports marker parentheses nested past the limit instead of recursing through them', () => {
    const marker = (depth: number) => `${'('.repeat(depth)}os_name == "posix"${')'.repeat(depth)}`;
    const result = requirementsTxtParser.parse(
      'requirements.txt',
      `a==1; ${marker(32)}\nb==1; ${marker(20_000)}\n`,
    );
    expect(rows(result.dependencies)).toEqual([['a', '1', undefined, 1]]);
    expect(
      result.diagnostics.map((d) => [d.code, d.line, d.message.includes('nest deeper than 32')]),
    ).toEqual([
      ['ENVIRONMENT_MARKER', 1, false],
      ['INVALID_SYNTAX', 2, true],
    ]);
  });

  it('splits a URL from its marker at the first ";" after whitespace', () => {
    const result = requirementsTxtParser.parse(
      'requirements.txt',
      `pkg @ https://h/p;v=1.zip${' '.repeat(50_000)};os_name == "nt"\n`,
    );
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'pkg @ https://h/p;v=1.zip is not scanned: direct URL reference, no registry version to match',
    ]);
  });

  it('keeps one entry per package and spelling when a file repeats a package many times', () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => `same==1.0.${i % 3}`);
    const result = requirementsTxtParser.parse('requirements.txt', lines.join('\n'));
    expect(rows(result.dependencies)).toEqual([
      ['same', '1.0.0', undefined, 1],
      ['same', '1.0.1', undefined, 2],
      ['same', '1.0.2', undefined, 3],
    ]);
    expect(codes(result)).toEqual([
      ['DUPLICATE', 2],
      ['DUPLICATE', 3],
    ]);
  });

  it.each([
    ['requirements.txt', 'runtime'],
    ['requirements/prod.txt', 'runtime'],
    ['requirements-devops.txt', 'runtime'],
    ['requirements-dev.txt', 'dev'],
    ['requirements_dev.txt', 'dev'],
    ['dev-requirements.txt', 'dev'],
    ['requirements-test.txt', 'dev'],
    ['requirements-tests.txt', 'dev'],
    ['requirements-test-py38.txt', 'dev'],
    ['requirements-testing.in', 'dev'],
    ['requirements/dev.txt', 'dev'],
    ['test-requirements.txt', 'dev'],
  ])('scopes %s as %s', (path, scope) => {
    expect(scopeForFile(path)).toBe(scope);
    const result = requirementsTxtParser.parse(path, 'six==1.16.0\n');
    expect(result.dependencies[0].scope).toBe(scope);
  });
});
