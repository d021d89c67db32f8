import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it.each([
    ['a RepoGuard personal token', 'token rg_pat_AbCdEf0123456789xyz was used'],
    ['an API key', 'key=rg_key_Zz9_-AbCdEf0123456789'],
    ['an org webhook secret', 'secret rg_whsec_Qw3rTy0123456789abc'],
    ['a GitHub classic token', 'auth ghp_0123456789abcdefghijABCDEFGHIJ0123 failed'],
    ['a GitHub installation token', 'ghs_0123456789abcdefghijABCDEFGHIJ0123'],
    ['a fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['an Authorization header', 'Authorization: Bearer abcdefghijklmnop.qrstuv'],
    ['a JWT', 'jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJlLWJ5dGVz'],
  ])('hides %s', (_name, text) => {
    const redacted = redactSecrets(text);
    expect(redacted).toContain(REDACTED);
    expect(redacted).not.toMatch(
      /rg_(pat|key)_[A-Za-z0-9]{8}|gh[ps]_[0-9a]{8}|github_pat_1|abcdefghijklmnop|eyJpc3M/,
    );
  });

  it('hides a PEM private key whole', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----';
    expect(redactSecrets(`key: ${pem} end`)).toBe(`key: ${REDACTED} end`);
  });

  it('hides configured secrets of any shape, and leaves ordinary text alone', () => {
    expect(redactSecrets('secret is hunter2-hunter2 ok', ['hunter2-hunter2'])).toBe(
      `secret is ${REDACTED} ok`,
    );
    expect(redactSecrets('scan of acme/web at 6113728 took 12 ms', ['short'])).toBe(
      'scan of acme/web at 6113728 took 12 ms',
    );
  });
});
