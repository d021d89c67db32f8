import { gitHostRefused, parseGitUrl } from './git-url.value-object';

describe('parseGitUrl', () => {
  it('names the host and port git will connect to', () => {
    expect(parseGitUrl('https://GitLab.Example.com/platform/api.git')).toMatchObject({
      scheme: 'https',
      host: 'gitlab.example.com',
      port: 443,
    });
    expect(parseGitUrl('https://git.example.com:8443/a/b.git')).toMatchObject({ port: 8443 });
    expect(parseGitUrl('ssh://git@[::1]:2222/x.git')).toMatchObject({
      scheme: 'ssh',
      host: '::1',
      port: 2222,
    });
    expect(parseGitUrl('ssh://git@Git.Example.com/x.git')).toMatchObject({
      host: 'git.example.com',
      port: 22,
    });
    // Other notations of an IPv4 host are read as the address they mean.
    expect(parseGitUrl('https://2130706433/x.git').host).toBe('127.0.0.1');
    expect(parseGitUrl('https://0x7f000001/x.git').host).toBe('127.0.0.1');
    expect(parseGitUrl('file:///srv/git/x').host).toBe('');
  });

  it.each([
    'https://evil.example\\@127.0.0.1/x.git',
    'https://127.0.0.1\t/x.git',
    'https://example.com/x\n.git',
    'ssh://git@example.com /x.git',
    'https://exa\u0000mple.com/x.git',
    'https://example.com/a/%zz.git',
    'ssh://git@example.com/%E0%A4%A.git',
  ])('refuses %j: whitespace, control characters and backslashes read differently elsewhere', (value) => {
    expect(() => parseGitUrl(value)).toThrow(
      expect.objectContaining({
        code: 'INVALID_GIT_URL',
        details: [expect.objectContaining({ field: 'git_url' })],
      }),
    );
  });

  it('refuses a forbidden host naming git_url, without echoing what a name resolved to', () => {
    expect(gitHostRefused('127.0.0.1', 'loopback', true)).toMatchObject({
      kind: 'invalid',
      code: 'GIT_URL_HOST_FORBIDDEN',
      details: [{ field: 'git_url', problem: expect.stringContaining('127.0.0.1 is a loopback address') }],
    });
    const named = gitHostRefused('intranet.example', 'private', false);
    expect(named.details[0]!.problem).toContain('intranet.example resolves to an address');
    expect(named.message).not.toContain('private');
  });
});
