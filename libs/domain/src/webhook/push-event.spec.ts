import { asPushEvent, decidePush } from './push-event';

const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const push = (over: Record<string, unknown> = {}) => ({
  ref: 'refs/heads/main',
  after: SHA,
  repository: { id: 7 },
  ...over,
});

describe('decidePush', () => {
  it('scans a push to a watched branch, at the pushed commit', () => {
    expect(decidePush(push(), ['main'])).toEqual({ scan: true, commitSha: SHA, ref: 'refs/heads/main' });
  });

  it.each([
    [push({ ref: 'refs/tags/v1.0.0' }), 'tag push'],
    [push({ after: '0'.repeat(40), deleted: true }), 'branch deleted'],
    [push({ after: '0'.repeat(40) }), 'branch deleted'],
    [push({ ref: 'refs/heads/feature/x' }), 'branch feature/x is not watched'],
    [push({ ref: 'refs/pull/1/head' }), 'not a branch: refs/pull/1/head'],
    [push({ after: 'not-a-sha' }), 'after is not a commit id'],
  ])('ignores %j: %s', (event, reason) => {
    expect(decidePush(asPushEvent(event)!, ['main'])).toEqual({ scan: false, reason });
  });
});

describe('asPushEvent', () => {
  it('refuses payloads without the push fields', () => {
    expect(asPushEvent(null)).toBeNull();
    expect(asPushEvent({ ref: 'refs/heads/main', after: SHA })).toBeNull();
    expect(asPushEvent({ ref: 'refs/heads/main', after: SHA, repository: { id: '7' } })).toBeNull();
  });
});
