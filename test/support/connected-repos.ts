// Repositories through the API of an ApiStack: a repository on the GitHub stand-in connected to an
// org (and scanned to its end), a scan waited for, and a repository's findings and status read back.
import type { ApiStack } from './api-stack';

// Plain errors, not Jest's `expect`: Playwright's browser tests (test/web) use these helpers too.
function answered(what: string, got: { status: number; body?: unknown }, status: number): void {
  if (got.status !== status)
    throw new Error(
      `${what} answered ${got.status}, not ${status}: ${JSON.stringify(got.body).slice(0, 500)}`,
    );
}

/** An org as these helpers act in it: its id and its owner's token. */
export type OrgOwner = Pick<Awaited<ReturnType<ApiStack['createOrg']>>, 'orgId' | 'ownerToken'>;

/** Creates `owner/name` on the GitHub stand-in with `files` committed, connects it to the org; its id. */
export async function connectRepo(
  stack: ApiStack,
  org: OrgOwner,
  owner: string,
  name: string,
  files: Record<string, string>,
): Promise<string> {
  const repo = await stack.harness.github.createRepo(owner, name);
  await repo.commit(files);
  const connected = await stack.call(org.ownerToken, 'POST', `/api/v1/orgs/${org.orgId}/repos`, {
    repo: `${owner}/${name}`,
  });
  answered(`connecting ${owner}/${name}`, connected, 201);
  return connected.body.id as string;
}

/** connectRepo, then a scan of the repository, which must complete; its id. */
export async function connectScannedRepo(...args: Parameters<typeof connectRepo>): Promise<string> {
  const [stack, org] = args;
  const repoId = await connectRepo(...args);
  const scan = await stack.scanToEnd(org.ownerToken, repoId);
  if (scan.status !== 'COMPLETED' || scan.error !== null)
    throw new Error(`the scan of ${repoId} ended ${scan.status}: ${JSON.stringify(scan.error)}`);
  return repoId;
}

/** Polls a scan (one an upload started, say) until it is COMPLETED or FAILED; its last answer. */
export async function scanEnded(
  stack: ApiStack,
  token: string,
  scanId: string,
): Promise<{ status: string; error: unknown } & Record<string, unknown>> {
  for (let i = 0; i < 240; i++) {
    const { body } = await stack.call(token, 'GET', `/api/v1/scans/${scanId}`);
    if (body.status === 'COMPLETED' || body.status === 'FAILED') return body;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`scan ${scanId} did not end`);
}

/** The repository's findings in every status (the first 100), as `T` describes them. */
export async function allFindings<T>(stack: ApiStack, token: string, repoId: string): Promise<T[]> {
  const answer = await stack.call(token, 'GET', `/api/v1/repos/${repoId}/findings?status=all&per_page=100`);
  answered(`the findings of ${repoId}`, answer, 200);
  return answer.body.items as T[];
}

/** The repository's status (OK, FAIL, …) as the API reads it. */
export async function repoStatus(stack: ApiStack, org: OrgOwner, repoId: string): Promise<string> {
  return (await stack.call(org.ownerToken, 'GET', `/api/v1/orgs/${org.orgId}/repos/${repoId}`)).body
    .status as string;
}
