// The block reader's differential tests: the check that it agrees with js-yaml's events, and
// pnpm-lock.yaml files as pnpm writes them (v5.4, v6 and v9 shapes), generated with fast-check:
// block mappings, flow maps and sequences on one line, block sequences of names, quoted and plain
// scalars, comments and blank lines.
import fc from 'fast-check';
import { readYamlBlockLock } from './yaml-block-reader';
import { readYamlLockEvents } from './yaml-lock-events';
import type { YamlLockEvents } from './yaml-lock-tree';

export const KEYED = ['packages', 'snapshots'];

/** Everything a lock reader can ask of the data, asked in one order of both readers. */
function observed(events: YamlLockEvents, keys: readonly string[]) {
  return {
    keyed: KEYED.map((key) => [...(events.keyed(key)?.values() ?? [])]),
    childEntries: [...events.childEntries],
    values: keys.map((key) => events.get(key)),
    root: events.root,
    rootEntries: events.rootEntries,
  };
}

/** The block reader declines `source`, or reads it exactly as js-yaml's events do; true when it read it. */
export function expectDeclinedOrSame(source: string, maxDepth = 200): boolean {
  const fast = readYamlBlockLock(source, maxDepth, KEYED);
  if (fast === undefined) return false;
  const slow = readYamlLockEvents(source, maxDepth, KEYED);
  expect(slow).toBeDefined();
  // Read apart: asking for the root entries makes plain objects of the keyed mappings.
  const listed = readYamlLockEvents(source, maxDepth)?.rootEntries ?? [];
  const keys = [...new Set([...listed.map((entry) => entry.key), ...KEYED, 'absent'])];
  expect(observed(fast, keys)).toStrictEqual(observed(slow as YamlLockEvents, keys));
  return true;
}

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

type Node = string | { readonly flow: boolean; readonly map?: [string, Node][]; readonly seq?: Node[] };

const map = (entries: [string, Node][], flow = false): Node => ({ flow, map: entries });
const seq = (items: Node[], flow = false): Node => ({ flow, seq: items });

/** Plain where YAML reads it back as the same string in block and flow context, else quoted. */
function scalar(text: string): string {
  if (/^[\w(./][\w.@/()^+~=<>|:-]*$/.test(text) && !text.endsWith(':')) return text;
  // Double quotes where nothing needs an escape, single otherwise: both styles get exercised.
  if (text.length % 2 === 0 && !/["\\]/.test(text)) return `"${text}"`;
  return `'${text.replaceAll("'", "''")}'`;
}

function flowText(node: Node): string {
  if (typeof node === 'string') return scalar(node);
  if (node.map) return `{${node.map.map(([key, value]) => `${scalar(key)}: ${flowText(value)}`).join(', ')}}`;
  return `[${(node.seq ?? []).map(flowText).join(', ')}]`;
}

function blockLines(entries: [string, Node][], indent: string, lines: string[]): void {
  for (const [key, value] of entries) {
    const head = `${indent}${scalar(key)}:`;
    if (typeof value === 'string' || value.flow) lines.push(`${head} ${flowText(value)}`);
    else if (value.map && value.map.length > 0) {
      lines.push(head);
      blockLines(value.map, `${indent}  `, lines);
    } else if (value.seq && value.seq.length > 0) {
      lines.push(head);
      for (const item of value.seq) lines.push(`${indent}  - ${flowText(item)}`);
    } else lines.push(`${head} ${value.map ? '{}' : '[]'}`);
  }
}

/** Odd but valid scalars: YAML words, indicators, quotes, comment and pair look-alikes. */
const TRICKY = [
  '*',
  '>=8',
  '^8.16.0 || ^10.6.0 || >=11.0.0',
  'link:../..',
  'github:acme/ui#v2.1.0',
  'https://codeload.github.com/a/b/tar.gz/8f3c',
  'true',
  '~',
  'null',
  '1.10',
  "it's",
  "it's odd!",
  'a: b',
  'a #b',
  ' lead',
  '',
  '- a',
  '[x]',
  '{y}',
  'x, y',
  '#x',
  '@',
  '__proto__',
];

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const name = fc.oneof(
  { weight: 4, arbitrary: word },
  { weight: 1, arbitrary: fc.tuple(word, word).map(([scope, bare]) => `@${scope}/${bare}`) },
);
const version = fc.tuple(fc.nat(12), fc.nat(12), fc.nat(12)).map((parts) => parts.join('.'));
const value = fc.oneof(
  { weight: 3, arbitrary: version },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY) },
);
const integrity = fc.stringMatching(/^[A-Za-z0-9+/]{20,40}$/).map((hash) => `sha512-${hash}==`);

const dependencyList = fc.uniqueArray(fc.tuple(name, version), {
  selector: ([alias]) => alias,
  maxLength: 3,
});

const pkg = fc.record({
  name,
  version,
  peer: fc.option(name, { nil: undefined }),
  integrity,
  engines: fc.option(value, { nil: undefined }),
  cpu: fc.array(fc.constantFrom('x64', 'arm64', '!ia32'), { maxLength: 2 }),
  dependencies: dependencyList,
  transitive: fc.uniqueArray(name, { maxLength: 2 }),
  dev: fc.option(fc.constantFrom('true', 'false'), { nil: undefined }),
  extra: fc.option(fc.tuple(word, value), { nil: undefined }),
});

const model = fc.record({
  major: fc.constantFrom('5.4', '6.0', '9.0'),
  importers: fc.uniqueArray(
    fc.tuple(
      fc.constantFrom('.', 'packages/a', 'packages/b'),
      fc.constantFrom('dependencies', 'devDependencies', 'optionalDependencies'),
      dependencyList,
    ),
    { selector: ([path, section]) => `${path} ${section}`, maxLength: 4 },
  ),
  packages: fc.uniqueArray(pkg, { selector: (p) => `${p.name}@${p.version}`, maxLength: 8 }),
  documentStart: fc.boolean(),
  comments: fc.boolean(),
});

/** A `packages` key: `/name/1.0.0_peer` (v5), `/name@1.0.0(peer)` (v6), `name@1.0.0(peer)` (v9). */
function packageKey(major: string, p: ValueOf<typeof pkg>): string {
  if (major === '5.4') return `/${p.name}/${p.version}${p.peer ? `_${p.peer}@1.0.0` : ''}`;
  return `${major === '6.0' ? '/' : ''}${p.name}@${p.version}${p.peer ? `(${p.peer}@1.0.0)` : ''}`;
}

function lockText(m: ValueOf<typeof model>): string {
  const v9 = m.major === '9.0';
  const importers = new Map<string, [string, Node][]>();
  for (const [path, section, dependencies] of m.importers) {
    const sections = importers.get(path) ?? [];
    importers.set(path, sections);
    sections.push([
      section,
      map(
        dependencies.map(([alias, v]): [string, Node] =>
          m.major === '5.4'
            ? [alias, v]
            : [
                alias,
                map([
                  ['specifier', `^${v}`],
                  ['version', v],
                ]),
              ],
        ),
      ),
    ]);
  }
  const packages = m.packages.map((p): [string, Node] => {
    const entries: [string, Node][] = [['resolution', map([['integrity', p.integrity]], true)]];
    if (p.engines !== undefined) entries.push(['engines', map([['node', p.engines]], true)]);
    if (p.cpu.length > 0) entries.push(['cpu', seq(p.cpu, true)]);
    if (!v9 && p.dependencies.length > 0) entries.push(['dependencies', map(p.dependencies)]);
    if (!v9 && p.transitive.length > 0) entries.push(['transitivePeerDependencies', seq(p.transitive)]);
    if (!v9 && p.dev !== undefined) entries.push(['dev', p.dev]);
    if (p.extra) entries.push(p.extra);
    return [packageKey(m.major, p), map(entries)];
  });
  const root: [string, Node][] = [['lockfileVersion', m.major]];
  if (v9) root.push(['settings', map([['autoInstallPeers', 'true']])]);
  root.push(['importers', map([...importers].map(([path, sections]) => [path, map(sections)]))]);
  root.push(['packages', map(packages)]);
  if (v9) {
    const snapshots = m.packages.map((p): [string, Node] => {
      const entries: [string, Node][] = [];
      if (p.dependencies.length > 0) entries.push(['dependencies', map(p.dependencies)]);
      if (p.transitive.length > 0) entries.push(['transitivePeerDependencies', seq(p.transitive)]);
      return [packageKey(m.major, p), map(entries)];
    });
    root.push(['snapshots', map(snapshots)]);
  }
  const lines: string[] = m.documentStart ? ['---'] : [];
  for (const entry of root) {
    if (m.comments) lines.push(`# ${entry[0]}, as pnpm wrote it`);
    blockLines([entry], '', lines);
    lines.push('');
  }
  return lines.join('\n');
}

/** pnpm-lock.yaml text in the YAML subset the block reader takes. */
export const pnpmLockText: fc.Arbitrary<string> = model.map(lockText);

/** A file damaged line by line: a line dropped, repeated, indented by one space more or less, or cut. */
export function damagedLines(valid: string): fc.Arbitrary<string> {
  const lines = valid.split('\n');
  const at = fc.nat({ max: Math.max(0, lines.length - 1) });
  const edit = fc.oneof(
    at.map((i) => (text: string[]) => text.toSpliced(i, 1)),
    at.map((i) => (text: string[]) => text.toSpliced(i, 0, text[i] ?? '')),
    at.map((i) => (text: string[]) => text.toSpliced(i, 1, ` ${text[i] ?? ''}`)),
    at.map((i) => (text: string[]) => text.toSpliced(i, 1, (text[i] ?? '').replace(/^ /, ''))),
    fc.tuple(at, fc.nat()).map(
      ([i, cut]) =>
        (text: string[]) =>
          text.toSpliced(i, 1, (text[i] ?? '').slice(0, cut % 40)),
    ),
  );
  return fc
    .array(edit, { minLength: 1, maxLength: 3 })
    .map((edits) => edits.reduce((text, apply) => apply(text), lines).join('\n'));
}
