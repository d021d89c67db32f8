// The GitHub stand-in in a child process of its own, for benchmarks: the stand-in commits with
// synchronous git, and answering a scan means spawning git, both of which would otherwise stall the
// bench's event loop (and the worker's activities on it). The parent drives it over IPC. Its git
// answers are cached and warmed after every commit (by the requests a scan makes), so a scan being
// measured spawns no git: on a busy machine, queued git processes made the stand-in miss the
// worker's 10 s deadline.
import { fork, type ChildProcess } from 'node:child_process';
import { startGithubStandIn, type TestRepo } from '../test/stand-ins/github-stand-in';

type Files = Record<string, string>;

type Command =
  | { readonly op: 'createRepos'; readonly repos: readonly { owner: string; name: string; files: Files }[] }
  | {
      readonly op: 'commit';
      readonly owner: string;
      readonly name: string;
      readonly files: Files;
      readonly message: string;
    };

type Reply = { readonly id: number; readonly value?: unknown; readonly error?: string };

export interface GithubStandInProcess {
  /** Base URL to give the worker (the child's HTTP server). */
  readonly url: string;
  /** Creates the repositories, each with one commit of `files` on `main`; returns their commit SHAs. */
  createRepos(repos: readonly { owner: string; name: string; files: Files }[]): Promise<string[]>;
  commit(owner: string, name: string, files: Files, message: string): Promise<string>;
  close(): Promise<void>;
}

export async function startGithubStandInProcess(): Promise<GithubStandInProcess> {
  const child = fork(__filename, ['--child'], {
    execArgv: ['-r', '@swc-node/register'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`the GitHub stand-in process exited (${code}) before it listened`)),
    );
    child.once('message', (message: { url: string }) => resolve(message.url));
  });
  child.removeAllListeners('exit');
  child.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
    else waiter?.resolve(reply.value);
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`the GitHub stand-in process exited (${code})`));
    pending.clear();
  });
  const call = <T>(command: Command): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, ...command });
    });
  return {
    url,
    createRepos: (repos) => call<string[]>({ op: 'createRepos', repos }),
    commit: (owner, name, files, message) => call<string>({ op: 'commit', owner, name, files, message }),
    close: () => stop(child),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ id: 0, op: 'close' });
  await exited;
}

async function serve(): Promise<void> {
  const github = await startGithubStandIn({ cacheReads: true });
  const warm = async (owner: string, name: string, sha: string) => {
    const get = async (rest: string) => {
      const response = await fetch(`${github.url}/repos/${owner}/${name}${rest}`);
      if (!response.ok) throw new Error(`warming ${owner}/${name}${rest}: ${response.status}`);
      return (await response.json()) as Record<string, unknown>;
    };
    await get('');
    await get(`/commits/${repos.get(`${owner}/${name}`)?.defaultBranch ?? 'main'}`);
    const commit = (await get(`/commits/${sha}`)) as { commit: { tree: { sha: string } } };
    const tree = (await get(`/git/trees/${commit.commit.tree.sha}?recursive=1`)) as {
      tree: { type: string; sha: string }[];
    };
    for (const entry of tree.tree) if (entry.type === 'blob') await get(`/git/blobs/${entry.sha}`);
  };
  const repos = new Map<string, TestRepo>();
  const send = (reply: Reply | { url: string }) => process.send?.(reply);
  process.on('message', (message: { id: number; op: string } & Record<string, unknown>) => {
    void (async () => {
      if (message.op === 'close') {
        await github.close();
        process.exit(0);
      }
      try {
        const command = message as unknown as Command & { id: number };
        if (command.op === 'createRepos') {
          const shas: string[] = [];
          for (const { owner, name, files } of command.repos) {
            const repo = await github.createRepo(owner, name);
            repos.set(`${owner}/${name}`, repo);
            const sha = await repo.commit(files, 'initial');
            await warm(owner, name, sha);
            shas.push(sha);
          }
          send({ id: command.id, value: shas });
        } else {
          const repo = repos.get(`${command.owner}/${command.name}`);
          if (!repo) throw new Error(`no repository ${command.owner}/${command.name}`);
          const sha = await repo.commit(command.files, command.message);
          await warm(command.owner, command.name, sha);
          send({ id: command.id, value: sha });
        }
      } catch (error) {
        send({ id: message.id, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  // The parent went away without closing: do not outlive it.
  process.on('disconnect', () => void github.close().finally(() => process.exit(0)));
  send({ url: github.url });
}

if (process.argv.includes('--child')) void serve();
