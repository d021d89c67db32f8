// deploy/temporal/setup-namespace.sh (compose's temporal-setup job) against the suite's dev server,
// each case in a namespace of its own: it registers what the workflows need, again without harm, and
// stops the stack (non-zero exit, the attribute named) when the server refuses an attribute.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { REPOGUARD_SEARCH_ATTRIBUTES } from '@repoguard/contract';
import { findTemporalCli } from '@repoguard/infrastructure';
import { REPO_ROOT } from '../support/compose';
import { temporalAddress, uniqueName } from '../support/temporal-harness';

const SCRIPT = path.join(REPO_ROOT, 'deploy/temporal/setup-namespace.sh');
const cli = findTemporalCli();
if (!cli) throw new Error('No Temporal CLI found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin)');
// The admin-tools image has `temporal` on its PATH; here it is the CLI the tests run.
const PATH = `${path.dirname(cli)}${path.delimiter}${process.env['PATH'] ?? ''}`;

interface Run {
  code: number;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, PATH, ...env }, timeout: 60_000 }, (error, _, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
    );
  });
}

const setup = (namespace: string, address = temporalAddress()) =>
  run('sh', [SCRIPT], { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace });

async function customAttributes(namespace: string): Promise<Record<string, string>> {
  const listed = await new Promise<string>((resolve, reject) =>
    execFile(
      cli!,
      ['operator', 'search-attribute', 'list', '--namespace', namespace, '-o', 'json'],
      { env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress() } },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
  return (JSON.parse(listed) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
}

describe('deploy/temporal/setup-namespace.sh', () => {
  it('creates the namespace with every search attribute as Keyword, and runs again without harm', async () => {
    const namespace = uniqueName('setup ok');
    for (let i = 0; i < 2; i++) {
      const result = await setup(namespace);
      // The script's error output only when it failed: the server's reason is in it.
      expect({ code: result.code, error: result.code === 0 ? '' : result.stderr }).toEqual({
        code: 0,
        error: '',
      });
    }
    const registered = await customAttributes(namespace);
    for (const key of REPOGUARD_SEARCH_ATTRIBUTES)
      expect({ name: key.name, type: registered[key.name] }).toEqual({
        name: key.name,
        type: 'INDEXED_VALUE_TYPE_KEYWORD',
      });
  });

  it('fails, naming the attribute, when the server refuses to register one as Keyword', async () => {
    const namespace = uniqueName('setup refused');
    const env = { TEMPORAL_ADDRESS: temporalAddress() };
    expect(await run(cli, ['operator', 'namespace', 'create', '--namespace', namespace], env)).toMatchObject({
      code: 0,
    });
    // Someone registered it by hand with another type: the server refuses it as Keyword.
    expect(
      await run(
        cli,
        [
          'operator',
          'search-attribute',
          'create',
          '--namespace',
          namespace,
          '--name',
          'RepoGuardTrigger',
          '--type',
          'Text',
        ],
        env,
      ),
    ).toMatchObject({ code: 0 });

    const result = await setup(namespace);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /search attribute RepoGuardTrigger is not registered as Keyword .*\(server has: Text\)/,
    );
    expect(result.stderr).toMatch(/could not register the search attributes: RepoGuardTrigger\./);
  });

  it('fails with a clear message when no Temporal server answers', async () => {
    const result = await setup(uniqueName('setup unreachable'), '127.0.0.1:1');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/could not create namespace .* at 127\.0\.0\.1:1/);
  });
});
