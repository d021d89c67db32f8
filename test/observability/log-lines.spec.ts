// The processes' logs as `npm run up` keeps them: stdout sent to .repoguard/logs/<name>.log must be
// one JSON object per line even with NODE_ENV=development, which asks for pretty lines; those
// are for a person at a terminal only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, SWC_ENV } from '../support/processes';

// A process that logs as the API and the worker do (createLogger, pretty asked for), then exits.
const LOGGING_PROCESS = `
const { createLogger } = require('./libs/infrastructure/src/logging/pino-logger.factory.ts');
const log = createLogger({ service: 'api', level: 'info', pretty: true });
log.info({ scanId: 's-1' }, 'scan started');
log.warn({ attempt: 2 }, 'OSV answered 503');
`;

const env = {
  PATH: process.env['PATH'],
  HOME: process.env['HOME'],
  ...SWC_ENV,
  SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'),
};
const nodeArgs = ['-r', '@swc-node/register', '-e', LOGGING_PROCESS];

describe('log lines', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'repoguard-logs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stdout redirected to a log file: every line parses as JSON, pretty asked for or not', () => {
    const file = path.join(dir, 'api.log');
    // As up.sh starts the apps: `node … >"$LOG_DIR/api.log" 2>"$RUN_DIR/api.err"`.
    const errors = path.join(dir, 'api.err');
    const run = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "$@" >"${file}" 2>"${errors}"`, 'sh', ...nodeArgs],
      {
        cwd: REPO_ROOT,
        env,
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ service: 'api', level: 'info', msg: 'scan started', scanId: 's-1' }),
      expect.objectContaining({ service: 'api', level: 'warn', msg: 'OSV answered 503', attempt: 2 }),
    ]);
  }, 60_000);

  it('on a terminal, pretty lines for a person', () => {
    // script(1) gives the process a pseudo-terminal and copies what it shows to the file.
    const file = path.join(dir, 'terminal.txt');
    const command = [process.execPath, ...nodeArgs].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
    const run = spawnSync('script', ['-qec', command, file], { cwd: REPO_ROOT, env, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const shown = readFileSync(file, 'utf8');
    expect(shown).toContain('scan started');
    const json = shown.split(/\r?\n/).filter((line) => line.trim().startsWith('{'));
    expect(json).toEqual([]);
  }, 60_000);
});
