import { asCheckRerequestEvent, asPullRequestEvent } from './pull-request-event';

const SHA = 'a'.repeat(40);
const event = (over: Record<string, unknown> = {}, pr: Record<string, unknown> = {}) => ({
  action: 'synchronize',
  number: 7,
  pull_request: {
    number: 7,
    draft: true,
    head: { sha: SHA.toUpperCase() },
    base: { ref: 'main', sha: 'b'.repeat(40) },
    ...pr,
  },
  repository: { id: 42 },
  ...over,
});

describe('asPullRequestEvent', () => {
  it('reads what a check needs, the base repository and a fork alike', () => {
    expect(
      asPullRequestEvent(event({}, { head: { sha: SHA, repo: { id: 9, full_name: 'fork/x' } } })),
    ).toEqual({
      action: 'synchronize',
      number: 7,
      draft: true,
      headSha: SHA,
      baseRef: 'main',
      baseSha: 'b'.repeat(40),
      repository: { id: 42 },
    });
  });

  it.each([
    ['no payload', null],
    ['an array', []],
    ['no repository id', event({ repository: {} })],
    ['a string repository id', event({ repository: { id: '42' } })],
    ['a string number', event({ number: '7' })],
    ['a negative number', event({ number: -7 })],
    ['a fractional number', event({ number: 7.5 })],
    ['a number past 32 bits', event({ number: 2 ** 31 })],
    ['no head sha', event({}, { head: {} })],
    ['a head sha that is no sha', event({}, { head: { sha: 'main' } })],
    ['a base ref that is no string', event({}, { base: { ref: { $ne: 1 } } })],
    ['an empty base ref', event({}, { base: { ref: '' } })],
    ['a control character in the ref', event({}, { base: { ref: 'ma\u0000in' } })],
    ['a draft that is no boolean', event({}, { draft: 'yes' })],
    ['no action', event({ action: 1 })],
  ])('refuses %s', (_what, payload) => {
    expect(asPullRequestEvent(payload)).toBeNull();
  });
});

describe('asCheckRerequestEvent', () => {
  it('reads a check run rerequest with the run and our external id', () => {
    expect(
      asCheckRerequestEvent('check_run', {
        action: 'rerequested',
        check_run: {
          id: 77,
          head_sha: SHA,
          external_id: 'c1',
          pull_requests: [{ number: 3, base: { ref: 'main' } }],
        },
        repository: { id: 42 },
      }),
    ).toEqual({
      action: 'rerequested',
      headSha: SHA,
      checkRunId: '77',
      externalId: 'c1',
      pullRequests: [{ number: 3, baseRef: 'main', baseSha: null }],
      repository: { id: 42 },
    });
  });

  it('refuses ill-typed pull request lists and missing heads', () => {
    const base = { action: 'rerequested', repository: { id: 42 } };
    expect(
      asCheckRerequestEvent('check_suite', { ...base, check_suite: { head_sha: SHA, pull_requests: {} } }),
    ).toBeNull();
    expect(
      asCheckRerequestEvent('check_suite', {
        ...base,
        check_suite: { head_sha: SHA, pull_requests: [{ number: 'x' }] },
      }),
    ).toBeNull();
    expect(asCheckRerequestEvent('check_run', { ...base, check_run: {} })).toBeNull();
  });
});
