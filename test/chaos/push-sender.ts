// GitHub's side of a push: a signed `push` delivery to the API, and a redelivery (same delivery id,
// as GitHub's "Redeliver" keeps it) whenever the API does not accept it: a non-2xx answer, a
// refused or reset connection, or no answer within GitHub's 10 s.
import { createHmac, randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';

interface PushExample {
  ref: string;
  head_commit: Record<string, unknown> | null;
  repository: Record<string, unknown> & { owner: Record<string, unknown> };
}
// Real GitHub shapes: the published example, with our repository, branch and commits put in.
const PUSH_EXAMPLE = (examples.find((d) => d.name === 'push')!.examples as unknown as PushExample[]).find(
  (e) => e.ref.startsWith('refs/heads/'),
)!;

const GITHUB_TIMEOUT_MS = 10_000;

export interface PushTarget {
  readonly owner: string;
  readonly name: string;
  readonly githubId: number;
  readonly defaultBranch: string;
}

export interface DeliveryResult {
  readonly deliveryId: string;
  readonly repo: string;
  readonly sha: string;
  /** Sends in all: 1 when the first was accepted. */
  readonly attempts: number;
  /** The accepting answer (202, or 200 for a delivery the API had recorded before), else null. */
  readonly acceptedStatus: number | null;
  /** Why each refused attempt was refused: `503 TEMPORAL_UNAVAILABLE`, `network ECONNREFUSED`, ... */
  readonly refusals: readonly string[];
  /** Set when the API accepted the delivery but did not act on it (a 202 with handled: false). */
  readonly ignoredBecause: string | null;
}

export interface PushSenderOptions {
  readonly apiUrl: string;
  readonly secret: string;
  /** Pause before redelivery n (1-based). */
  readonly redeliveryDelayMs: (attempt: number) => number;
  /** No redelivery is started after this (epoch ms). */
  readonly giveUpAt: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pushPayload(target: PushTarget, before: string, after: string): Record<string, unknown> {
  const fullName = `${target.owner}/${target.name}`;
  return {
    ...PUSH_EXAMPLE,
    ref: `refs/heads/${target.defaultBranch}`,
    before,
    after,
    compare: `https://github.com/${fullName}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    head_commit: { ...PUSH_EXAMPLE.head_commit, id: after, tree_id: after },
    repository: {
      ...PUSH_EXAMPLE.repository,
      id: target.githubId,
      name: target.name,
      full_name: fullName,
      default_branch: target.defaultBranch,
      master_branch: target.defaultBranch,
      owner: { ...PUSH_EXAMPLE.repository.owner, login: target.owner, name: target.owner },
    },
  };
}

/** What a delivery's answer means to GitHub's side: accepted, worth redelivering, or refused for good. */
function judge(status: number, body: unknown): 'accepted' | 'retry' | 'refused' {
  if (status === 202) return 'accepted';
  if (status === 200)
    return (body as { duplicate?: unknown } | null)?.duplicate === true ? 'accepted' : 'refused';
  return status === 429 || status >= 500 ? 'retry' : 'refused';
}

export class PushSender {
  constructor(private readonly options: PushSenderOptions) {}

  /** Delivers one push until the API accepts it, refuses it for good, or the sender gives up. */
  async deliver(target: PushTarget, before: string, after: string): Promise<DeliveryResult> {
    const deliveryId = randomUUID();
    const raw = JSON.stringify(pushPayload(target, before, after));
    const signature = `sha256=${createHmac('sha256', this.options.secret).update(raw).digest('hex')}`;
    const refusals: string[] = [];
    const result = (acceptedStatus: number | null, ignoredBecause: string | null = null): DeliveryResult => ({
      deliveryId,
      repo: `${target.owner}/${target.name}`,
      sha: after,
      attempts: refusals.length + (acceptedStatus === null ? 0 : 1),
      acceptedStatus,
      refusals,
      ignoredBecause,
    });
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let body: unknown = null;
      try {
        const response = await fetch(`${this.options.apiUrl}/api/v1/webhooks/github`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/chaos',
            'x-github-event': 'push',
            'x-github-delivery': deliveryId,
            'x-hub-signature-256': signature,
            // A fresh connection per delivery, as GitHub's: a kept-alive socket would outlive a killed API.
            connection: 'close',
          },
          body: raw,
          signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS),
        });
        status = response.status;
        const text = await response.text();
        body = parseJson(text);
      } catch (error) {
        refusals.push(`network ${networkReason(error)}`);
      }
      if (status !== 0) {
        const verdict = judge(status, body);
        if (verdict === 'accepted') {
          const answer = body as { handled?: unknown; outcome?: unknown } | null;
          const ignored = status === 202 && answer?.handled !== true ? String(answer?.outcome) : null;
          return result(status, ignored);
        }
        const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
        refusals.push(`${status}${typeof code === 'string' ? ` ${code}` : ''}`);
        if (verdict === 'refused') return result(null);
      }
      if (Date.now() >= this.options.giveUpAt()) return result(null);
      await sleep(this.options.redeliveryDelayMs(attempt));
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null; // a proxy's or a dying server's page: judged by its status alone
  }
}

function networkReason(error: unknown): string {
  // By name, not instanceof: under Jest, fetch's errors come from another realm.
  const { name, cause } = (error ?? {}) as { name?: unknown; cause?: { code?: unknown } };
  if (name === 'TimeoutError') return 'timeout';
  return typeof cause?.code === 'string' ? cause.code : String(error);
}
