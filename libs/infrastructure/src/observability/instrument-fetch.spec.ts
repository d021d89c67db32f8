import { Registry } from 'prom-client';
import { GITHUB_ANSWER_STATUSES, instrumentFetch } from './instrument-fetch';
import { IntegrationMetrics } from './integration-metrics';

describe('instrumentFetch', () => {
  let registry: Registry;
  let metrics: IntegrationMetrics;

  beforeEach(() => {
    registry = new Registry();
    metrics = new IntegrationMetrics(registry);
  });

  const answering =
    (status: number, headers: Record<string, string> = {}): typeof fetch =>
    async () =>
      new Response(status === 204 || status === 304 ? null : '{}', { status, headers });
  const rejecting =
    (error: unknown): typeof fetch =>
    async () => {
      throw error;
    };

  async function failuresAfter(send: typeof fetch, integration: 'github' | 'osv' = 'osv') {
    const options = integration === 'github' ? { answers: GITHUB_ANSWER_STATUSES } : {};
    await instrumentFetch(integration, metrics, send, options)('http://stand-in/x').catch(() => undefined);
    const failures = (await metrics.failures.get()).values
      .filter((v) => v.value > 0)
      .map((v) => `${v.labels.integration}:${v.labels.reason}`);
    const requests = (await metrics.requests.get()).values.find((v) => v.labels.integration === integration);
    return { failures, requests: requests?.value };
  }

  it.each([
    [200, {}, []],
    [204, {}, []],
    [304, {}, []],
    [500, {}, ['osv:5xx']],
    [503, {}, ['osv:5xx']],
    [429, { 'retry-after': '3' }, ['osv:429']],
    [401, {}, ['osv:auth']],
    [403, {}, ['osv:auth']],
    [400, {}, ['osv:4xx']],
    // "No such vulnerability" is an answer to the question asked, not a failing OSV.
    [404, {}, []],
  ] as const)('classifies a %s answer', async (status, headers, expected) => {
    const { failures, requests } = await failuresAfter(answering(status, headers));
    expect(failures).toEqual(expected);
    expect(requests).toBe(1);
  });

  it("counts GitHub's 403 rate limits as 429, other 403s as auth, and its not-found answers as none", async () => {
    expect(
      (await failuresAfter(answering(403, { 'x-ratelimit-remaining': '0' }), 'github')).failures,
    ).toEqual(['github:429']);
    metrics.failures.reset();
    expect((await failuresAfter(answering(403, { 'retry-after': '60' }), 'github')).failures).toEqual([
      'github:429',
    ]);
    metrics.failures.reset();
    expect(
      (await failuresAfter(answering(403, { 'x-ratelimit-remaining': '12' }), 'github')).failures,
    ).toEqual(['github:auth']);
    metrics.failures.reset();
    for (const status of [404, 409, 422]) {
      expect((await failuresAfter(answering(status), 'github')).failures).toEqual([]);
    }
  });

  it('classifies a timeout, a network failure, and leaves our own cancellation uncounted as failure', async () => {
    expect((await failuresAfter(rejecting(new DOMException('timed out', 'TimeoutError')))).failures).toEqual([
      'osv:timeout',
    ]);
    metrics.failures.reset();
    expect((await failuresAfter(rejecting(new TypeError('fetch failed')))).failures).toEqual(['osv:network']);
    metrics.failures.reset();
    const cancelled = await failuresAfter(rejecting(new DOMException('aborted', 'AbortError')));
    expect(cancelled.failures).toEqual([]);
    expect(cancelled.requests).toBe(3);
  });

  it('passes the answer and the rejection through unchanged, and times answers', async () => {
    const send = instrumentFetch('osv', metrics, answering(503));
    const response = await send('http://stand-in/x', { method: 'POST' });
    expect(response.status).toBe(503);
    const error = new TypeError('fetch failed');
    await expect(instrumentFetch('osv', metrics, rejecting(error))('http://stand-in/x')).rejects.toBe(error);
    const text = await registry.metrics();
    expect(text).toMatch(/^repoguard_integration_latency_seconds_count\{integration="osv"\} 2$/m);
    expect(text).toMatch(/^repoguard_integration_requests_total\{integration="github"\} 0$/m);
  });
});
