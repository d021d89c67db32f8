import { COMMANDS, runCli, USAGE } from './cli';
import type { CommandIo } from './command-io';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    cwd: process.cwd(),
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    now: () => new Date('2026-06-01T00:00:00Z'),
  };
  const code = await runCli(argv, io, env);
  return { code, out, err };
}

// Nothing a command needs is reachable here: --help must answer without touching any of it.
const UNREACHABLE = {
  DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
  TEMPORAL_ADDRESS: '127.0.0.1:1',
};

describe('repoguard --help', () => {
  it('lists every registered command with its summary, the options and the exit codes', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, out, err } = await run(argv);
      expect([code, err]).toEqual([0, '']);
      expect(out).toBe(`${USAGE}\n`);
    }
    for (const command of COMMANDS) expect(USAGE).toContain(`  ${command.name} `);
    expect(USAGE).toMatch(/^Options:\n {2}-h, --help/m);
    expect(USAGE).toContain('Exit codes: 0 success, 1 the command failed');
    expect(USAGE).toContain('2 usage errors');
  });

  it('without a command: the overview on stderr, exit 2', async () => {
    const { code, out, err } = await run([]);
    expect([code, out, err]).toEqual([2, '', `${USAGE}\n`]);
  });

  it('an unknown command: exit 2 naming it', async () => {
    const { code, err } = await run(['scan', '--help']);
    expect(code).toBe(2);
    expect(err).toContain('unknown command "scan"');
  });

  describe.each(COMMANDS.map((c) => [c.name, c] as const))('repoguard %s --help', (name, command) => {
    it('prints its usage, every option and its exit codes on stdout, exit 0, running nothing', async () => {
      for (const argv of [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
      ]) {
        const { code, out, err } = await run(argv, UNREACHABLE);
        expect([code, err]).toEqual([0, '']);
        expect(out).toBe(`${command.usage}\n`);
      }
      expect(command.usage).toMatch(new RegExp(`^Usage: repoguard ${name}( |$)`, 'm'));
      expect(command.usage).toMatch(/^Options:\n/m);
      expect(command.usage).toMatch(/^ {2}(-h, )?--help +this help/m);
      expect(command.usage).toMatch(/^Exit codes?: .*\b0\b/m);
      // Every option on the usage line is explained under Options.
      const usageLine = command.usage.split('\n')[0]!;
      const options = command.usage.slice(command.usage.indexOf('\nOptions:\n'));
      for (const option of usageLine.match(/--[a-z-]+/g) ?? []) {
        expect(options).toMatch(new RegExp(`^ {2}(-\\w, )?${option}\\b`, 'm'));
      }
    });

    it('--help after other options still only prints the usage', async () => {
      const { code, out } = await run([name, '--json', '--help'], UNREACHABLE);
      expect(code).toBe(0);
      expect(out).toBe(`${command.usage}\n`);
    });
  });
});
