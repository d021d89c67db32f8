// `npm run pack:cli`: the @repoguard/cli package (apps/cli/package.json), `repoguard check` alone,
// bundled with its dependencies so the tarball installs nothing (`npx --offline` runs it).
// `npm run pack:cli -- <dir>` packs into <dir> (default dist/); the tarball's path is the last
// line of stdout.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { transformFileSync } from '@swc/core';
import TerserPlugin from 'terser-webpack-plugin';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';
import webpack from 'webpack';

const ROOT = path.resolve(__dirname, '..');
const DESTINATION = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist'));
const OUT = path.join(DESTINATION, 'cli-package');
const PISCINA_WORKER = path.join(path.dirname(require.resolve('piscina')), 'worker.js');

/**
 * Libraries only some checks use, each packed into a file of its own beside the bundle, check.js
 * (`lib-<name>.js`), and required from there when first used: Node reads and compiles all of the
 * bundle at every start, and these were half of it (manifest formats other than the one checked, CycloneDX output, parser
 * threads, zip readers). None of them imports another or any of our code, so no class exists twice.
 */
const VENDORED: Readonly<Record<string, string>> = {
  yaml: 'yaml',
  'js-yaml': 'js-yaml',
  'smol-toml': 'smol-toml',
  'fast-xml-parser': 'fast-xml-parser',
  saxes: 'saxes',
  piscina: 'piscina',
  // Zip readers: a check whose catalogs are cached reads entries itself (node:zlib).
  yauzl: 'yauzl',
  fflate: 'fflate',
  // CVSS scoring: a check whose vectors were scored before reads their scores from its cache.
  'ae-cvss-calculator': 'ae-cvss-calculator',
  cyclonedx: './scripts/cli-vendor/cyclonedx.ts',
};
const CYCLONEDX = /^@cyclonedx\/cyclonedx-library\/(Enums|Models|Serialize|SPDX|Spec)$/;

function vendoredFile(request: string): string | [string, string] | undefined {
  if (Object.hasOwn(VENDORED, request) && request !== 'cyclonedx') return `./lib-${request}.js`;
  const part = CYCLONEDX.exec(request)?.[1];
  return part === undefined ? undefined : ['./lib-cyclonedx.js', part];
}

const OPTIONAL_PEERS = {
  // Piscina's optional thread priority, only with a niceIncrement (the pool sets none).
  '@napi-rs/nice': '@napi-rs/nice',
};

/** Vendored libraries are required from the file beside the bundle, not packed into it again. */
async function externalVendored({
  request,
}: webpack.ExternalItemFunctionData): Promise<string | string[] | undefined> {
  const file = request === undefined ? undefined : vendoredFile(request);
  return typeof file === 'string' ? file : file && [...file];
}

/**
 * CycloneDX's optional XML serializer (as large as the rest of the library): check writes
 * CycloneDX as JSON only, and the library tries its XML plugins only when asked for XML.
 */
function xmlSerializerLeftOut(): webpack.IgnorePlugin {
  return new webpack.IgnorePlugin({
    resourceRegExp: /^xmlbuilder2$/,
    contextRegExp: /@cyclonedx[\\/]cyclonedx-library/,
  });
}

/** Where piscina and the parser pool look for their thread files: beside the bundle (see below). */
function config(libsDigest: string): webpack.Configuration {
  return {
    mode: 'production',
    target: 'node20.19',
    context: ROOT,
    entry: {
      // Run by cli.js (standalone.bin.ts, built last) from V8's code cache.
      check: './apps/cli/src/standalone.main.ts',
      // The parser pool's thread file; PiscinaManifestParserPool finds it beside check.js. Piscina
      // imports it and calls its default export: module.exports is that function.
      'parse-manifest.worker': {
        import: './libs/infrastructure/src/parsing/parse-manifest.worker.ts',
        library: { type: 'commonjs2', export: 'default' },
      },
      // Piscina starts its threads on its own worker.js, looked up beside its index: the bundle.
      worker: PISCINA_WORKER,
    },
    // Beside the libraries, which are built first (main empties the folder before either).
    output: { path: OUT, filename: '[name].js' },
    // The real paths at run time: the thread files are found beside the bundle.
    node: { __dirname: false, __filename: false, global: false },
    resolve: {
      extensions: ['.ts', '.js', '.json'],
      plugins: [
        new TsconfigPathsPlugin({ configFile: path.join(ROOT, 'tsconfig.json'), extensions: ['.ts', '.js'] }),
      ],
    },
    module: {
      rules: [
        // The libraries' modules run nothing when imported: re-exports from a barrel that check
        // never uses are left out of the bundle instead of being loaded at every start.
        { test: /[\\/]libs[\\/].*\.ts$/, sideEffects: false },
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2022',
              parser: { syntax: 'typescript', decorators: true },
              transform: { legacyDecorator: true, decoratorMetadata: true },
              keepClassNames: true,
            },
          },
        },
      ],
    },
    externalsType: 'commonjs',
    externals: [
      {
        // Only reached when running from TypeScript source (the pool's FROM_SOURCE branch).
        '@swc-node/register': '@swc-node/register',
        ...OPTIONAL_PEERS,
      },
      externalVendored,
    ],
    // Node reads and compiles every byte of check.js at each start: see compactOutput. Stack traces
    // name the bundle's functions as they are, and with `node --enable-source-maps` the source
    // file and line, from the map beside each file (no sources in it, only positions).
    optimization: { minimize: true, minimizer: [compactOutput()] },
    devtool: 'nosources-source-map',
    performance: { hints: false },
    plugins: [
      // The release check.command.ts writes into its caches names the libraries too: a release that
      // changes only one of them (a newer CVSS calculator) must not reuse what the older wrote.
      new webpack.DefinePlugin({ __REPOGUARD_LIBS_DIGEST__: JSON.stringify(libsDigest) }),
    ],
    ignoreWarnings: [
      // Each takes a path only known at run time, from where the bundle never goes: piscina's
      // `require(filename)` falls back to import() (which finds the bundled thread file), and
      // the parser's `parserModule` (on a thread or on the CLI's own) is for tests only.
      { module: /piscina[\\/]dist[\\/]worker\.js$/, message: /the request of a dependency is an expression/ },
      { module: /parse-manifest\.worker\.ts$/, message: /the request of a dependency is an expression/ },
      {
        module: /inline-first-manifest-parser-pool\.ts$/,
        message: /the request of a dependency is an expression/,
      },
    ],
  };
}

/**
 * The package's bin, cli.js: runs check.js from a code cache (see the file), knowing its digest.
 * Compiled by SWC alone: a few lines, whose require and module must be Node's, not webpack's.
 */
function writeBin(bundleDigest: string): void {
  const { code } = transformFileSync(path.join(ROOT, 'apps/cli/src/standalone.bin.ts'), {
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  const bin = code.replace(/\b__REPOGUARD_BUNDLE_DIGEST__\b/g, JSON.stringify(bundleDigest));
  writeFileSync(path.join(OUT, 'cli.js'), `#!/usr/bin/env node\n${bin}`, { mode: 0o755 });
}

/** The vendored libraries, one commonjs file each: `require('./lib-yaml.js')` is yaml's exports. */
function vendorConfig(): webpack.Configuration {
  return {
    mode: 'production',
    target: 'node20.19',
    context: ROOT,
    entry: Object.fromEntries(
      Object.entries(VENDORED).map(([name, request]) => [
        `lib-${name}`,
        { import: request, library: { type: 'commonjs2' } },
      ]),
    ),
    // Built before check.js, which carries a digest of these files.
    output: { path: OUT, filename: '[name].js' },
    // Piscina finds its worker.js beside its own file, which is beside check.js.
    node: { __dirname: false, __filename: false, global: false },
    resolve: { extensions: ['.ts', '.js', '.json'] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          loader: 'swc-loader',
          options: { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } },
        },
      ],
    },
    externalsType: 'commonjs',
    externals: OPTIONAL_PEERS,
    optimization: { minimize: false },
    performance: { hints: false },
    plugins: [xmlSerializerLeftOut()],
  };
}

/**
 * The bundle without comments and whitespace, every character ASCII, local names shortened
 * (check.js: 413 KB without the shortening, 298 KB with it). A file with one non-ASCII character is held by V8 as two bytes a character,
 * and read and scanned as such; every check reads the whole text and makes a string of it, which
 * on a small check costs a millisecond per 100 KB or so. Nothing else is rewritten (no compress):
 * functions and classes keep their names, so stack traces and `constructor.name` read as in the
 * source, and the source map names the locals. Licence comments go too: THIRD-PARTY-NOTICES.txt
 * carries each bundled package's licence in full.
 */
function compactOutput(): TerserPlugin {
  return new TerserPlugin({
    extractComments: false,
    terserOptions: {
      compress: false,
      mangle: true,
      keep_classnames: true,
      keep_fnames: true,
      format: { comments: false, ascii_only: true },
    },
  });
}

function build(configuration: webpack.Configuration): Promise<webpack.Stats> {
  return new Promise((resolve, reject) => {
    webpack(configuration, (error, stats) => {
      if (error || !stats) return reject(error ?? new Error('webpack returned no stats'));
      if (stats.hasErrors() || stats.hasWarnings()) {
        return reject(new Error(stats.toString({ all: false, errors: true, warnings: true })));
      }
      resolve(stats);
    });
  });
}

/** SHA-256 of the lib-*.js files, by name and content. */
function librariesDigest(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(OUT)
    .filter((n) => /^lib-.*\.js$/.test(n))
    .sort())
    hash
      .update(`${name}\0`)
      .update(readFileSync(path.join(OUT, name)))
      .update('\0');
  return hash.digest('hex').slice(0, 20);
}

/** Each bundled npm package with its licence text: the bundle is a redistribution of them. */
function thirdPartyNotices(builds: readonly webpack.Stats[]): string {
  const packages = new Map<string, string>();
  const visit = (module: webpack.Module): void => {
    // A concatenated module (scope hoisting) holds the modules it was made of.
    const inner = (module as { modules?: Iterable<webpack.Module> }).modules;
    if (inner) for (const m of inner) visit(m);
    const resource = (module as { resource?: string }).resource?.split(path.sep).join('/');
    // The last node_modules on the path: a nested copy is a package of its own.
    const match = resource && /^(.*\/node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(resource);
    if (match) packages.set(`${match[2]}\u0000${match[1]}`, match[1]!);
  };
  for (const stats of builds) for (const module of stats.compilation.modules) visit(module);
  const sections = [...packages.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, dir]) => {
      const name = key.slice(0, key.indexOf('\u0000'));
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        version: string;
        license?: string;
      };
      const licenseFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE', 'LICENSE-MIT']
        .map((f) => path.join(dir, f))
        .find((f) => existsSync(f));
      const text = licenseFile
        ? readFileSync(licenseFile, 'utf8').trim()
        : `(no licence file; package.json says ${manifest.license ?? 'nothing'})`;
      return `${name}@${manifest.version} (${manifest.license ?? 'unknown'})\n\n${text}`;
    });
  return `The @repoguard/cli bundle includes these npm packages, under their licences:\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
}

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  const libraries = await build(vendorConfig());
  const builds = [await build(config(librariesDigest())), libraries];
  writeBin(
    createHash('sha256')
      .update(readFileSync(path.join(OUT, 'check.js')))
      .digest('hex'),
  );
  writeFileSync(path.join(OUT, 'THIRD-PARTY-NOTICES.txt'), thirdPartyNotices(builds));
  copyFileSync(path.join(ROOT, 'apps/cli/package.json'), path.join(OUT, 'package.json'));
  mkdirSync(DESTINATION, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', DESTINATION, OUT], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as { filename: string }[];
  console.log(path.join(DESTINATION, packed!.filename));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
