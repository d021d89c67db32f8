// API_PROCESSES: several API processes behind one port (Node's cluster) serve every request, a
// process that dies is replaced, and a SIGTERM stops them all.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { captureLogs, type LogRecord } from '../support/log-capture';

const ADMIN_TOKEN = `rg-admin-${randomBytes(16).toString('hex')}`;

/** The processes whose parent is `pid` (from /proc: this runs on Linux). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
}

async function eventually<T>(probe: () => T | Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('API_PROCESSES', () => {
  let api: ApiProcess;
  const logs = captureLogs();

  beforeAll(async () => {
    api = await startApiProcess(
      testApiEnv({ API_PROCESSES: '2', LOG_LEVEL: 'info', REPOGUARD_ADMIN_TOKEN: ADMIN_TOKEN }),
      { logs, startTimeoutMs: 150_000 },
    );
  }, 180_000);
  afterAll(() => api?.close());

  it('serves every request from two processes behind one port, replaces one that dies, and stops', async () => {
    const primary = api.process.child.pid!;
    const workers = await eventually(
      () => childrenOf(primary),
      (pids) => pids.length === 2,
    );
    expect(workers).toHaveLength(2);

    const slug = `procs-${randomUUID().slice(0, 8)}`;
    const created = await fetch(`${api.url}/api/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Processes', slug, owner_email: `owner-${slug}@example.test` }),
    });
    expect(created.status).toBe(201);
    const { token, org } = (await created.json()) as { token: string; org: { id: string } };

    // Separate connections: the cluster hands them to its processes in turn.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${api.url}/api/v1/orgs/${org.id}/repos`, {
          headers: { authorization: `Bearer ${token}`, connection: 'close' },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const servedBy = (records: LogRecord[]) =>
      new Set(records.filter((r) => r['route'] === '/api/v1/orgs/:org_id/repos').map((r) => r['pid']));
    const served = servedBy(await logs.until((records) => servedBy(records).size === 2));
    expect([...served].sort()).toEqual([...workers].sort());

    process.kill(workers[0]!, 'SIGKILL');
    const replaced = await eventually(
      () => childrenOf(primary),
      (pids) => pids.length === 2 && !pids.includes(workers[0]!),
    );
    expect(replaced).toHaveLength(2);
    expect(replaced).not.toContain(workers[0]);
    const after = await eventually(
      () =>
        fetch(`${api.url}/api/v1/orgs/${org.id}/repos`, { headers: { authorization: `Bearer ${token}` } }),
      (answer) => answer.status === 200,
    );
    expect(after.status).toBe(200);

    await api.close();
    expect(api.process.child.exitCode).toBe(0);
    for (const pid of replaced) expect(() => process.kill(pid, 0)).toThrow();
  }, 120_000);
});
