import {
  instanceSshKeyServes,
  instanceGithubTokenRefused,
  sshDeployKeyRequired,
} from './instance-credentials';

const ORG = { id: '11111111-1111-4111-8111-111111111111', slug: 'acme' };

describe('instance credentials', () => {
  it('lends the instance ssh key only to the orgs the operator names, by id or slug, or to all with *', () => {
    expect(instanceSshKeyServes([], ORG)).toBe(false);
    expect(instanceSshKeyServes(['other', '22222222-2222-4222-8222-222222222222'], ORG)).toBe(false);
    expect(instanceSshKeyServes(['acme'], ORG)).toBe(true);
    expect(instanceSshKeyServes([ORG.id.toUpperCase()], ORG)).toBe(true);
    expect(instanceSshKeyServes(['*'], { ...ORG, slug: null })).toBe(true);
    // An unknown slug (a deleted org) matches no slug entry.
    expect(instanceSshKeyServes(['acme'], { ...ORG, slug: null })).toBe(false);
  });

  it('refuses with stable codes naming the field and what to set up instead', () => {
    expect(instanceGithubTokenRefused('acme/private')).toMatchObject({
      kind: 'invalid',
      code: 'GITHUB_ORG_CREDENTIALS_REQUIRED',
      details: [{ field: 'repo' }],
    });
    expect(instanceGithubTokenRefused('acme/private').message).toContain('acme/private');
    expect(sshDeployKeyRequired()).toMatchObject({
      kind: 'invalid',
      code: 'SSH_DEPLOY_KEY_REQUIRED',
      details: [{ field: 'git_url' }],
    });
  });
});
