import { compareText } from '../shared/compare-text';
import type { ManifestParser, ManifestParseResult, ParseOptions } from './manifest.types';
import { binaryDiagnostic, looksBinary } from './manifest-text';
import { withoutRepeatedDependencies } from './dedupe-dependencies';
import type { Ecosystem } from '../ecosystem/ecosystem.value-object';

/* eslint-disable @typescript-eslint/no-require-imports -- see lazyParser */
/**
 * A parser whose module is loaded on its first parse: a `repoguard check` of one package-lock.json
 * should not pay at every start for the YAML, TOML and XML readers the other formats need. The
 * id and ecosystem are restated here (a test holds them to the loaded parser's); each require
 * names its file literally, so bundlers still find it.
 */
function lazyParser(id: string, ecosystem: Ecosystem | null, load: () => ManifestParser): ManifestParser {
  let loaded: ManifestParser | undefined;
  const parser = () => (loaded ??= load());
  LOADERS.push(parser);
  return { id, ecosystem, parse: (path, text, options) => parser().parse(path, text, options) };
}

const LOADERS: (() => ManifestParser)[] = [];

/**
 * Loads every parser's module now. A parser thread does so when it starts, so no parse deadline
 * counts the loading (which, from TypeScript source, means compiling the parser first).
 */
export function loadManifestParsers(): void {
  for (const load of LOADERS) load();
}

const requirementsTxtParser = lazyParser(
  'requirements-txt',
  'PyPI',
  () =>
    (
      require('./parsers/pypi/requirements-txt.parser') as typeof import('./parsers/pypi/requirements-txt.parser')
    ).requirementsTxtParser,
);
const poetryLockParser = lazyParser(
  'poetry-lock',
  'PyPI',
  () =>
    (require('./parsers/pypi/poetry-lock.parser') as typeof import('./parsers/pypi/poetry-lock.parser'))
      .poetryLockParser,
);
const pipfileLockParser = lazyParser(
  'pipfile-lock',
  'PyPI',
  () =>
    (require('./parsers/pypi/pipfile-lock.parser') as typeof import('./parsers/pypi/pipfile-lock.parser'))
      .pipfileLockParser,
);
const uvLockParser = lazyParser(
  'uv-lock',
  'PyPI',
  () =>
    (require('./parsers/pypi/uv-lock.parser') as typeof import('./parsers/pypi/uv-lock.parser')).uvLockParser,
);
const pdmLockParser = lazyParser(
  'pdm-lock',
  'PyPI',
  () =>
    (require('./parsers/pypi/pdm-lock.parser') as typeof import('./parsers/pypi/pdm-lock.parser'))
      .pdmLockParser,
);
const packageLockParser = lazyParser(
  'package-lock-json',
  'npm',
  () =>
    (require('./parsers/npm/package-lock.parser') as typeof import('./parsers/npm/package-lock.parser'))
      .packageLockParser,
);
const yarnLockParser = lazyParser(
  'yarn-lock',
  'npm',
  () =>
    (require('./parsers/npm/yarn-lock.parser') as typeof import('./parsers/npm/yarn-lock.parser'))
      .yarnLockParser,
);
const pnpmLockParser = lazyParser(
  'pnpm-lock',
  'npm',
  () =>
    (require('./parsers/npm/pnpm-lock.parser') as typeof import('./parsers/npm/pnpm-lock.parser'))
      .pnpmLockParser,
);
const goModParser = lazyParser(
  'go-mod',
  'Go',
  () => (require('./parsers/go/go-mod.parser') as typeof import('./parsers/go/go-mod.parser')).goModParser,
);
const cargoLockParser = lazyParser(
  'cargo-lock',
  'crates.io',
  () =>
    (require('./parsers/cargo/cargo-lock.parser') as typeof import('./parsers/cargo/cargo-lock.parser'))
      .cargoLockParser,
);
const gemfileLockParser = lazyParser(
  'gemfile-lock',
  'RubyGems',
  () =>
    (
      require('./parsers/rubygems/gemfile-lock.parser') as typeof import('./parsers/rubygems/gemfile-lock.parser')
    ).gemfileLockParser,
);
const composerLockParser = lazyParser(
  'composer-lock',
  'Packagist',
  () =>
    (
      require('./parsers/packagist/composer-lock.parser') as typeof import('./parsers/packagist/composer-lock.parser')
    ).composerLockParser,
);
const pomXmlParser = lazyParser(
  'pom-xml',
  'Maven',
  () =>
    (require('./parsers/maven/pom-xml.parser') as typeof import('./parsers/maven/pom-xml.parser'))
      .pomXmlParser,
);
const gradleLockfileParser = lazyParser(
  'gradle-lockfile',
  'Maven',
  () =>
    (
      require('./parsers/maven/gradle-lockfile.parser') as typeof import('./parsers/maven/gradle-lockfile.parser')
    ).gradleLockfileParser,
);
const cyclonedxJsonParser = lazyParser(
  'cyclonedx-json',
  null,
  () =>
    (require('./parsers/sbom/cyclonedx-json.parser') as typeof import('./parsers/sbom/cyclonedx-json.parser'))
      .cyclonedxJsonParser,
);
const cyclonedxXmlParser = lazyParser(
  'cyclonedx-xml',
  null,
  () =>
    (require('./parsers/sbom/cyclonedx-xml.parser') as typeof import('./parsers/sbom/cyclonedx-xml.parser'))
      .cyclonedxXmlParser,
);
const spdxJsonParser = lazyParser(
  'spdx-json',
  null,
  () =>
    (require('./parsers/sbom/spdx-json.parser') as typeof import('./parsers/sbom/spdx-json.parser'))
      .spdxJsonParser,
);
/* eslint-enable @typescript-eslint/no-require-imports */

interface Rule {
  readonly parser: ManifestParser;
  readonly matches: (fileName: string, directory: string) => boolean;
}

const exactly =
  (...names: string[]) =>
  (fileName: string) =>
    names.includes(fileName);

// pip-tools and teams name requirement files many ways; a bare `*.in` is too broad (MANIFEST.in,
// Makefile.in), so `.in` counts only when the name or folder says "requirements".
const isRequirementsFile = (fileName: string, directory: string) =>
  /\.(?:txt|in)$/i.test(fileName) &&
  (/requirements/i.test(fileName) || /(?:^|\/)requirements$/i.test(directory));

/** In priority order: the first rule that matches a path decides its parser. */
const RULES: readonly Rule[] = [
  { parser: requirementsTxtParser, matches: isRequirementsFile },
  { parser: poetryLockParser, matches: exactly('poetry.lock') },
  { parser: pipfileLockParser, matches: exactly('Pipfile.lock') },
  { parser: uvLockParser, matches: exactly('uv.lock') },
  { parser: pdmLockParser, matches: exactly('pdm.lock') },
  { parser: packageLockParser, matches: exactly('package-lock.json', 'npm-shrinkwrap.json') },
  { parser: yarnLockParser, matches: exactly('yarn.lock') },
  { parser: pnpmLockParser, matches: exactly('pnpm-lock.yaml') },
  { parser: goModParser, matches: exactly('go.mod') },
  { parser: cargoLockParser, matches: exactly('Cargo.lock') },
  { parser: gemfileLockParser, matches: exactly('Gemfile.lock', 'gems.locked') },
  { parser: composerLockParser, matches: exactly('composer.lock') },
  { parser: pomXmlParser, matches: exactly('pom.xml') },
  {
    parser: gradleLockfileParser,
    matches: (name) => name === 'gradle.lockfile' || name.endsWith('-gradle.lockfile'),
  },
  // SBOMs by the names their specs recommend only: a bare bom.json could be anything.
  { parser: cyclonedxJsonParser, matches: (name) => name.endsWith('.cdx.json') },
  { parser: cyclonedxXmlParser, matches: (name) => name.endsWith('.cdx.xml') },
  { parser: spdxJsonParser, matches: (name) => name.endsWith('.spdx.json') },
];

// Installed or vendored copies are someone else's manifests, not the project's.
const VENDORED = /(?:^|\/)(?:node_modules|vendor|\.venv|venv|site-packages|\.git|bower_components)\//;

/** Every parser RepoGuard has, for listing formats. */
export const MANIFEST_PARSERS: readonly ManifestParser[] = RULES.map((r) => r.parser);

export function isVendoredPath(path: string): boolean {
  return VENDORED.test(normalizePath(path));
}

/** The parser for a repository path, or undefined when the file is not a manifest we read. */
export function parserFor(path: string): ManifestParser | undefined {
  const normalized = normalizePath(path);
  if (VENDORED.test(normalized)) return undefined;
  const slash = normalized.lastIndexOf('/');
  const fileName = normalized.slice(slash + 1);
  const directory = slash >= 0 ? normalized.slice(0, slash) : '';
  return RULES.find((rule) => rule.matches(fileName, directory))?.parser;
}

/** Picks the manifests out of a repository tree listing, sorted by path. */
export function selectManifestPaths(paths: Iterable<string>): { path: string; parser: ManifestParser }[] {
  const selected: { path: string; parser: ManifestParser }[] = [];
  for (const path of paths) {
    const parser = parserFor(path);
    if (parser) selected.push({ path: normalizePath(path), parser });
  }
  return selected.sort((a, b) => compareText(a.path, b.path));
}

/**
 * Parses a manifest with the parser its path selects; never throws. A dependency the file lists
 * more than once comes out once (see `dedupeDependencies`), whatever the parser did with it.
 */
export function parseManifest(path: string, text: string, options?: ParseOptions): ManifestParseResult {
  const parser = parserFor(path);
  if (!parser) {
    return {
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'UNSUPPORTED_FILE',
          message: `${path} is not a manifest format RepoGuard reads`,
        },
      ],
    };
  }
  if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
  // Every format writes something, even with no dependency; a blank file is one a tool failed
  // to write (or a truncation), so it must not pass as "no dependencies".
  if (text.trim() === '') {
    return {
      dependencies: [],
      diagnostics: [{ severity: 'error', code: 'EMPTY_FILE', message: `${path} is empty; nothing was read` }],
    };
  }
  try {
    return withoutRepeatedDependencies(parser.parse(normalizePath(path), text, options));
  } catch (error) {
    // Parsers report rather than throw; this is the last guard so one bad file never ends a scan.
    return {
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'PARSER_FAILED',
          message: `${parser.id} could not read ${path}: ${(error as Error).message}`,
        },
      ],
    };
  }
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}
