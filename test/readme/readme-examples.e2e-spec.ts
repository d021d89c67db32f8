import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runDemo } from '../../scripts/demo';
import { startDemoStack, type DemoStack } from '../support/demo-stack';
import { startNotificationReceivers, type NotificationReceivers } from '../support/notification-receivers';
import { REPO_ROOT } from '../support/processes';
import { SHARED_OSV_DIR, sharedOsvExport } from '../support/shared-osv';
import { fencedBlocks, matches, pairBlocks, SKIPPED_BLOCKS, type BlockRule } from './readme-blocks';

// The README's examples, pasted into bash as a reader would after `npm run up`: in a directory laid
// out like a checkout (package.json, bin/, node_modules/, and the .repoguard/ state npm run up
// leaves: the admin token, the demo org's owner token, the demo repository, scanned), beside
// ../shared/osv, against the real stack. Only what the examples read is there, not the sources, so
// `repoguard check .` here reads the demo repository's manifests (in a checkout, the fixtures too).
// The bash environment is named in runBlock: DATABASE_URL for the operators' CLI examples, and npm
// settings that keep npx from ever installing or downloading anything.

/** The changes made to a block's text: the README's API address (npm run up's port) becomes this stack's, */
const README_API_ADDRESS = 'localhost:3000';
/** and its example Slack webhook a local Slack receiver's (test/support/notification-receivers). */
const README_SLACK_URL = 'https://hooks.slack.com/services/T0/B0/XXXX';
const SLACK_TOKEN = 'readme-security-alerts';
let receivers: NotificationReceivers;

interface CurlCall {
  readonly args: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

interface CliCall {
  readonly args: string;
  readonly code: number;
  readonly stdout: string;
}

interface BlockRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly curls: readonly CurlCall[];
  readonly clis: readonly CliCall[];
}

interface RunRule extends BlockRule {
  /** What the block shows a reader, beyond exiting 0 with every curl answered 2xx JSON. */
  readonly shows: string;
  /**
   * A block the README says to paste into the shell of an earlier one: it runs with the variables
   * that block set (so that block's test, declared before it, must have passed).
   */
  readonly continues?: BlockRule;
  verify(run: BlockRun, checkout: string): void;
}

// Wrappers around the two commands whose outcome bash alone does not judge. curl: every answer's
// headers and body are kept, and an HTTP error fails the block. npx: every exit code and stdout are
// kept; `repoguard check` exits 1 (policy FAIL) or 3 (incomplete) as documented answers, which the
// test compares with the report it printed, while any other non-zero exit fails the block.
const PREAMBLE = String.raw`set -euo pipefail
curl() {
  local record
  record=$(mktemp "$README_CALLS/$(date +%s%N)-curl-XXXXXX")
  printf '%s\n' "$*" >"$record.args"
  command curl --fail-with-body --dump-header "$record.headers" "$@" | tee "$record.body"
}
npx() {
  local record code=0
  record=$(mktemp "$README_CALLS/$(date +%s%N)-cli-XXXXXX")
  printf '%s\n' "$*" >"$record.args"
  command npx "$@" >"$record.stdout" || code=$?
  echo "$code" >"$record.code"
  cat "$record.stdout"
  case "$code" in
    0) ;;
    1 | 3) [ "$#" -ge 2 ] && [ "$1 $2" = "repoguard check" ] || return "$code" ;;
    *) return "$code" ;;
  esac
}
`;

const json = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not JSON:\n${text.slice(0, 2000)}`);
  }
};

/** The exit code the README gives `repoguard check` for the report it printed. */
function documentedExitCode(call: CliCall): number {
  if (call.args.includes('--format json')) {
    const report = json(call.stdout, `stdout of npx ${call.args}`) as { status: string; complete: boolean };
    return report.status === 'FAIL' ? 1 : report.complete ? 0 : 3;
  }
  const status = /^Policy: (\w+)$/m.exec(call.stdout)?.[1];
  if (!status) throw new Error(`npx ${call.args} printed no "Policy:" line:\n${call.stdout}`);
  return status === 'FAIL' ? 1 : /^INCOMPLETE: /m.test(call.stdout) ? 3 : 0;
}

const CHANNEL_BLOCK: BlockRule = {
  section: "Channels: where alerts go, in each service's own format",
  lang: 'bash',
  startsWith: 'TOKEN=$(cat .repoguard/demo-owner-token)',
};

const RUN_BLOCKS: readonly RunRule[] = [
  {
    section: 'The REST API',
    lang: 'bash',
    startsWith: 'ADMIN=$(cat .repoguard/admin-token)',
    shows: 'the instance admin creates an org through the API, and an operator another through the CLI',
    verify(run) {
      expect(run.curls[0]!.status).toBe(201);
      expect(json(run.curls[0]!.body, 'the answer')).toMatchObject({ org: { slug: 'acme' } });
      expect(run.stdout).toMatch(/^Created organization \S+ \(/m);
    },
  },
  {
    section: 'The REST API',
    lang: 'bash',
    startsWith: 'TOKEN=$(cat .repoguard/demo-owner-token)',
    shows: "the demo org's findings across repositories: by advisory (a CVE alias) and by package",
    verify(run) {
      expect(run.curls.map((c) => c.args)).toEqual([
        expect.stringContaining('/api/v1/orgs/me'),
        expect.stringContaining('advisory='),
        expect.stringContaining('package='),
      ]);
      const [, byAdvisory, byPackage] = run.curls.map(
        (c) =>
          json(c.body, c.args) as {
            items: { repository: { full_name: string }; dependency: { name: string } }[];
          },
      );
      // The demo repository has what the examples ask for, so an empty answer would prove nothing.
      expect(byAdvisory!.items.length).toBeGreaterThan(0);
      for (const item of byAdvisory!.items) expect(item.repository.full_name).toEqual(expect.any(String));
      expect(byPackage!.items.length).toBeGreaterThan(0);
      for (const item of byPackage!.items) expect(item.dependency.name.toLowerCase()).toBe('django');
    },
  },
  {
    section: 'Checking manifests locally (CI pipelines)',
    lang: 'bash',
    startsWith: '# npx repoguard check <file-or-dir>',
    shows: 'repoguard check as a table and as a JSON report, exit codes as documented',
    verify(run, checkout) {
      const checks = run.clis.filter((c) => c.args.startsWith('repoguard check'));
      expect(checks).toHaveLength(2);
      for (const check of checks)
        expect([check.args, check.code]).toEqual([check.args, documentedExitCode(check)]);
      // "stdout is the JSON report alone": the file parses whole and holds the summary CI reads.
      const report = readFileSync(path.join(checkout, 'repoguard-report.json'), 'utf8');
      expect(report.trim()).toBe(checks[1]!.stdout.trim());
      expect(json(report, 'repoguard-report.json')).toMatchObject({
        summary: { manifests: expect.any(Number), findings_total: expect.any(Number) },
      });
    },
  },
  {
    section: 'SARIF for code scanning, baselines, and the CLI without the repository',
    lang: 'bash',
    startsWith: '# on main: the report to compare with later',
    shows: 'a check against its own previous JSON output: nothing new, every finding counted as known',
    verify(run) {
      const checks = run.clis.filter((c) => c.args.startsWith('repoguard check'));
      expect(checks).toHaveLength(2);
      for (const check of checks)
        expect([check.args, check.code]).toEqual([check.args, documentedExitCode(check)]);
      const before = json(checks[0]!.stdout, 'baseline.json') as { summary: { findings_total: number } };
      expect(checks[1]!.stdout).toMatch(/: 0 new vulnerabilities\.$/m);
      expect(checks[1]!.stdout).toContain(`Baseline: ${before.summary.findings_total} known finding`);
    },
  },
  {
    ...CHANNEL_BLOCK,
    shows: "a Slack channel in the demo org, and a test-send Slack's receiver takes",
    verify(run) {
      expect(run.curls.map((c) => c.status)).toEqual([200, 201, 200]);
      const channel = json(run.curls[1]!.body, 'the new channel') as { id: string; kind: string };
      expect(channel.kind).toBe('slack');
      // The webhook URL is a secret: never answered.
      expect(run.curls[1]!.body).not.toContain(SLACK_TOKEN);
      expect(json(run.curls[2]!.body, 'the test-send')).toEqual({
        delivered: true,
        status_code: 200,
        error: null,
      });
      const received = receivers.requests(SLACK_TOKEN);
      expect(received.map((r) => ({ status: r.status, problems: r.problems }))).toEqual([
        { status: 200, problems: [] },
      ]);
    },
  },
  {
    section: 'Rules, dispatch and durable delivery',
    lang: 'bash',
    startsWith: 'curl -s -X POST "localhost:3000/api/v1/orgs/$ORG/notification-rules"',
    continues: CHANNEL_BLOCK,
    shows: "an immediate rule on the channel example's channel: high and critical findings of acme/*",
    verify(run) {
      expect(run.curls.map((c) => c.status)).toEqual([201]);
      expect(json(run.curls[0]!.body, 'the new rule')).toMatchObject({
        name: 'criticals to #security',
        channel_id: expect.any(String),
        events: ['finding.new', 'repo.status_changed'],
        min_severity: 'HIGH',
        repositories: { kind: 'pattern', pattern: 'acme/*' },
        mode: 'immediate',
        enabled: true,
      });
    },
  },
];

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const { pairs, problems } = pairBlocks(fencedBlocks(readme), [...RUN_BLOCKS, ...SKIPPED_BLOCKS]);

/** How many times a block calls curl, as a command (so the wrappers' records can be counted). */
const curlCommands = (text: string): number => text.match(/(?:^|[\s;&|(])curl\s/gm)?.length ?? 0;

function readCalls(dir: string): { curls: CurlCall[]; clis: CliCall[] } {
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.args'))
    .sort()
    .map((f) => path.join(dir, f.slice(0, -'.args'.length)));
  const read = (record: string, ext: string) => readFileSync(`${record}.${ext}`, 'utf8');
  const curls: CurlCall[] = [];
  const clis: CliCall[] = [];
  for (const record of records) {
    const args = read(record, 'args').trim();
    if (record.includes('-curl-')) {
      // The last response in the dump is the answer (any before it were interim ones).
      const headers =
        read(record, 'headers')
          .split(/\r?\n(?=HTTP\/)/)
          .pop() ?? '';
      curls.push({
        args,
        status: Number(/^HTTP\/\S+ (\d{3})/.exec(headers)?.[1] ?? 0),
        contentType: (/^content-type:([^\r\n]*)/im.exec(headers)?.[1] ?? '').trim(),
        body: read(record, 'body'),
      });
    } else {
      clis.push({ args, code: Number(read(record, 'code').trim()), stdout: read(record, 'stdout') });
    }
  }
  return { curls, clis };
}

describe("the README's examples, pasted into bash", () => {
  // The examples create orgs with fixed slugs: the demo stack's database is the test's own.
  let demo: DemoStack;
  let root: string;
  let checkout: string;

  beforeAll(async () => {
    sharedOsvExport('PyPI-all.zip'); // names the missing folder at once, rather than a failed example
    receivers = await startNotificationReceivers();
    // The receivers listen over plain http on the loopback: the operator opens both for them.
    demo = await startDemoStack('readme', { NOTIFY_ALLOWED_HOSTS: '127.0.0.1', NOTIFY_ALLOW_HTTP: 'true' });
    root = mkdtempSync(path.join(tmpdir(), 'repoguard-readme-'));
    checkout = path.join(root, 'checkout');
    mkdirSync(path.join(checkout, '.repoguard'), { recursive: true });
    for (const entry of ['package.json', 'bin', 'node_modules'])
      symlinkSync(path.join(REPO_ROOT, entry), path.join(checkout, entry));
    symlinkSync(path.dirname(SHARED_OSV_DIR), path.join(root, 'shared'));
    // What npm run up leaves: its admin token (scripts/up.sh), then the demo's org, owner token and
    // repository, scanned against the shared exports (scripts/demo.ts, as up.sh runs it).
    writeFileSync(path.join(checkout, '.repoguard/admin-token'), demo.stack.adminToken, { mode: 0o600 });
    const result = await runDemo(demo.demoOptions(path.join(checkout, '.repoguard'), () => undefined));
    expect(result.scan.status).toBe('COMPLETED');
  }, 300_000);

  afterAll(async () => {
    await demo?.close();
    await receivers?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Where a block leaves the variables it set, for a block pasted after it into the same shell. */
  const stateOf = (rule: BlockRule) =>
    path.join(root, `state-${fencedBlocks(readme).find((block) => matches(rule, block))?.line ?? 'none'}.sh`);

  async function runBlock(text: string, state: { load?: string; save: string }): Promise<BlockRun> {
    const calls = mkdtempSync(path.join(root, 'calls-'));
    const assigned = [...new Set([...text.matchAll(/^([A-Za-z_]\w*)=/gm)].map((m) => m[1]!))];
    const script = [
      PREAMBLE,
      state.load ? `source ${JSON.stringify(state.load)}` : '',
      text,
      assigned.length > 0 ? `declare -p ${assigned.join(' ')} >${JSON.stringify(state.save)}` : '',
    ].join('\n');
    const child = spawn('bash', ['-c', `${script}\n`], {
      cwd: checkout,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        README_CALLS: calls,
        // What the operators' CLI examples write to (npm run up's is the repoguard database).
        DATABASE_URL: demo.databaseUrl,
        // npx runs the checkout's own bin, never anything from a registry; its cache is ours.
        npm_config_cache: path.join(root, 'npm-cache'),
        npm_config_offline: 'true',
        npm_config_yes: 'false',
        npm_config_update_notifier: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    return { code, stdout, stderr, ...readCalls(calls) };
  }

  it('runs every bash block of README.md or names why not, and each rule still finds its block', () => {
    expect(problems).toEqual([]);
    const run = RUN_BLOCKS.map((rule) => pairs.get(rule)?.text ?? '');
    expect(run.filter((text) => text.includes(README_API_ADDRESS)).length).toBeGreaterThan(0);
  });

  for (const rule of RUN_BLOCKS) {
    it(`${rule.section}: ${rule.shows}`, async () => {
      const block = pairs.get(rule);
      if (!block) throw new Error(`no README block for ${JSON.stringify(rule)}: ${problems.join('; ')}`);
      const port = new URL(demo.stack.url).port;
      const text = block.text
        .replaceAll(README_API_ADDRESS, `localhost:${port}`)
        .replaceAll(README_SLACK_URL, receivers.url('slack', SLACK_TOKEN));
      expect(text).not.toMatch(/(?:localhost|127\.0\.0\.1):3000\b/);
      const load = rule.continues && stateOf(rule.continues);
      if (load && !existsSync(load))
        throw new Error(
          `it runs in the shell of ${JSON.stringify(rule.continues)}, whose test did not get through`,
        );

      const run = await runBlock(text, { ...(load ? { load } : {}), save: stateOf(rule) });
      const answers = run.curls.map((c) => `${c.status} ${c.contentType.split(';')[0]} <- curl ${c.args}`);
      if (run.code !== 0) {
        throw new Error(
          `the block on README.md line ${block.line} exited ${run.code}\n--- curl answers\n${answers.join('\n')}` +
            `\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
        );
      }
      expect(run.curls).toHaveLength(curlCommands(block.text));
      expect(answers).toEqual(run.curls.map(() => expect.stringMatching(/^2\d\d application\/json <- /)));
      for (const call of run.curls) json(call.body, `the answer to curl ${call.args}`);
      rule.verify(run, checkout);
    }, 180_000);
  }
});
