import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { ParsedDependency } from '../../manifest.types';
import { goModParser } from './go-mod.parser';

const fixture = manifestFixtures();

const dep = (name: string, version: string | null, line: number, direct = true, manifestPath = 'go.mod') =>
  ({
    ecosystem: 'Go',
    name,
    version,
    scope: 'runtime',
    direct,
    manifestPath,
    line,
  }) satisfies ParsedDependency;

describe('goModParser', () => {
  it('reads require blocks and lines, marks // indirect, applies replace directives', () => {
    const { dependencies, diagnostics } = goModParser.parse('go.mod', fixture('go/go.mod'));
    expect(dependencies).toStrictEqual([
      dep('github.com/gin-gonic/gin', 'v1.9.1', 9),
      dep('github.com/google/uuid', 'v1.5.0', 10),
      // replaced module-wide by a fork: the fork's code is what gets built
      dep('github.com/acme/pgx/v5', 'v5.5.1-acme.1', 11),
      dep('github.com/stretchr/testify', 'v1.8.4', 12), // a comment that is not `indirect`
      dep('go.uber.org/zap', 'v1.26.0', 13),
      dep('golang.org/x/crypto', 'v0.17.0', 14),
      dep('google.golang.org/grpc', 'v1.60.1', 15),
      dep('github.com/bytedance/sonic', 'v1.10.2', 21, false),
      dep('github.com/davecgh/go-spew', 'v1.1.1', 22, false),
      dep('github.com/golang/protobuf', 'v1.5.3', 23, false), // `// indirect; reason`
      dep('github.com/jackc/pgpassfile', 'v1.0.0', 24, false),
      dep('github.com/docker/docker', 'v20.10.24+incompatible', 25, false),
      // version-specific replacement of a pseudo-version
      dep('golang.org/x/net', 'v0.19.0', 26, false),
      dep('gopkg.in/yaml.v3', 'v3.0.1', 27, false),
      dep('github.com/spf13/cobra', 'v1.8.0', 30), // its replace names another version
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'github.com/acme/shared-lib v0.4.2 is replaced by the local directory ../shared-lib; it has no registry version to check',
        line: 41,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'github.com/acme/money v1.0.0 is replaced by the local directory ./third_party/money; it has no registry version to check',
        line: 42,
      },
    ]);
  });

  it('reads a CRLF file with a BOM, tab and space indentation, quoted and back-quoted paths', () => {
    const text = fixture('go/crlf-bom-tabs.go.mod');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n');
    const { dependencies, diagnostics } = goModParser.parse('go.mod', text);
    expect(dependencies).toStrictEqual([
      dep('github.com/sirupsen/logrus', 'v1.4.2', 6),
      dep('github.com/pkg/errors', 'v0.9.1', 7, false),
      dep('github.com/gorilla/mux', 'v1.7.3', 8),
      dep('gopkg.in/yaml.v2', 'v2.2.2', 11),
    ]);
    expect(diagnostics).toStrictEqual([]);
  });

  it('keeps what a truncated file declared before the cut and reports the open block', () => {
    const { dependencies, diagnostics } = goModParser.parse('svc/go.mod', fixture('go/truncated.go.mod'));
    expect(dependencies).toStrictEqual([
      dep('github.com/labstack/echo/v4', 'v4.11.4', 6, true, 'svc/go.mod'),
      dep('github.com/golang-jwt/jwt/v4', 'v4.5.0', 7, false, 'svc/go.mod'),
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: 'require needs a module path and a version: github.com/valyala/fasttemplate',
        line: 8,
      },
      {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: 'the require block opened on line 5 is never closed (truncated file?)',
        line: 5,
      },
    ]);
  });

  it('reports each malformed line and keeps reading the rest', () => {
    const { dependencies, diagnostics } = goModParser.parse('go.mod', fixture('go/invalid.go.mod'));
    expect(dependencies).toStrictEqual([
      dep('github.com/go-chi/chi/v5', 'v5.0.10', 5),
      { ...dep('github.com/mattn/go-sqlite3', null, 8), specifier: 'master' },
      dep('github.com/redis/go-redis/v9', 'v9.3.1', 13),
      dep('github.com/go-chi/chi/v5', 'v5.0.11', 15),
    ]);
    expect(diagnostics.map((d) => [d.code, d.line, d.severity])).toStrictEqual([
      ['INVALID_SYNTAX', 6, 'warning'],
      ['INVALID_SYNTAX', 7, 'warning'],
      ['INVALID_SYNTAX', 9, 'warning'],
      ['INVALID_SYNTAX', 10, 'warning'],
      ['INVALID_SYNTAX', 11, 'warning'],
      ['INVALID_SYNTAX', 14, 'warning'],
      ['UNPINNED', 8, 'warning'],
      ['DUPLICATE', 15, 'info'],
    ]);
    expect(diagnostics.map((d) => d.message)).toStrictEqual([
      'require needs a module path and a version: github.com/rs/zerolog',
      'unknown directive "requires"',
      'unterminated quoted string: "github.com/lib/pq v1.10.9',
      'replacement module github.com/go-chi/chi/v5 needs a version (or a path starting with ./ or ../)',
      'a local directory replacement cannot have a version: ../chi',
      'the require block opened on line 12 is not closed before this line',
      'github.com/mattn/go-sqlite3 master is not a semantic version (the go command would resolve it to one)',
      'github.com/go-chi/chi/v5 is required at v5.0.10 (line 5) and v5.0.11; Go builds with the higher one',
    ]);
  });

  it('reads the CRLF tools module with old, vulnerable versions as written', () => {
    const text = fixture('ugly/tools/go.mod');
    expect(text).toContain('\r\n');
    const path = 'tools/go.mod';
    const { dependencies, diagnostics } = goModParser.parse(path, text);
    expect(dependencies).toStrictEqual([
      dep('github.com/gin-gonic/gin', 'v1.6.0', 8, true, path),
      dep('golang.org/x/crypto', 'v0.0.0-20200622213623-75b288015ac9', 9, false, path),
      dep('golang.org/x/net', 'v0.0.0-20210226172049-e18ecbb05110', 10, false, path),
      dep('github.com/dgrijalva/jwt-go', 'v3.2.0+incompatible', 11, true, path),
      dep('gopkg.in/yaml.v2', 'v2.2.7', 12, false, path),
    ]);
    expect(diagnostics).toStrictEqual([]);
  });

  it('treats Windows paths and lone CR line endings like any other', () => {
    const text =
      'module m\rrequire (\r\tgithub.com/a/b v1.0.0\r\tgithub.com/c/d v2.0.0\r)\rreplace github.com/c/d => C:\\src\\d\r';
    const { dependencies, diagnostics } = goModParser.parse('go.mod', text);
    expect(dependencies).toStrictEqual([dep('github.com/a/b', 'v1.0.0', 3)]);
    expect(diagnostics.map((d) => [d.code, d.line])).toStrictEqual([['UNRESOLVABLE', 6]]);
  });

  it('accepts empty blocks and comment-only lines, and skips tool, godebug and exclude blocks', () => {
    const text = [
      'module example.com/m // the module path',
      'require ()',
      'godebug (',
      '\tdefault=go1.21',
      ')',
      'tool (',
      '\tgolang.org/x/tools/cmd/stringer',
      ')',
      '// require github.com/commented/out v1.0.0',
      'require github.com/x/y v0.1.0-rc.1',
    ].join('\n');
    const { dependencies, diagnostics } = goModParser.parse('go.mod', text);
    expect(dependencies).toStrictEqual([dep('github.com/x/y', 'v0.1.0-rc.1', 10)]);
    expect(diagnostics).toStrictEqual([]);
  });

  it('reports an empty file as having no module directive', () => {
    expect(goModParser.parse('go.mod', fixture('go/empty.go.mod'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        { severity: 'warning', code: 'MISSING_FIELD', message: 'go.mod has no module directive' },
      ],
    });
  });

  it('refuses binary content', () => {
    expect(goModParser.parse('go.mod', fixture('go/binary.go.mod'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'NOT_TEXT',
          message: 'go.mod is not a text file (binary content); it was skipped',
        },
      ],
    });
  });
});
