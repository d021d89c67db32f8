import {
  NotFoundError,
  type OrganizationRecord,
  type OrganizationRepository,
  type SshDeployKeyStore,
  type SshDeployKeyView,
  type SshKeyPair,
} from '@repoguard/domain';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import type { OrgCaller } from '../shared/caller';
import { CreateSshDeployKey } from './create-ssh-deploy-key.use-case';
import { DeleteSshDeployKey } from './delete-ssh-deploy-key.use-case';
import { GetSshDeployKey } from './get-ssh-deploy-key.use-case';

const ORG = '11111111-1111-4111-8111-111111111111';
const NOW = '2026-12-04T12:00:00.000Z';
const caller: OrgCaller = {
  scope: { orgIds: [ORG] },
  actor: { actorType: 'user', actorId: 'u-1', correlationId: 'req-1', ip: null },
  orgId: ORG,
  role: 'admin',
};

/** An in-memory store holding what was sealed, private half included, so tests can see what leaks. */
function setUp() {
  const sealed = new Map<string, SshKeyPair & { createdAt: Date }>();
  const sshDeployKeys: SshDeployKeyStore = {
    replace: (orgId, pair, at) => {
      const previous = sealed.get(orgId);
      sealed.set(orgId, { ...pair, createdAt: at });
      return Promise.resolve({ replaced: !!previous, previousFingerprint: previous?.fingerprint ?? null });
    },
    find: (orgId) => {
      const key = sealed.get(orgId);
      const view: SshDeployKeyView | null = key
        ? { publicKey: key.publicKey, fingerprint: key.fingerprint, createdAt: key.createdAt }
        : null;
      return Promise.resolve(view);
    },
    remove: (orgId) => Promise.resolve(sealed.delete(orgId)),
  };
  const organizations = {
    get: (id: string) =>
      Promise.resolve(id === ORG ? ({ id, slug: 'acme', name: 'Acme' } as OrganizationRecord) : null),
  } as unknown as OrganizationRepository;
  const uow = new FakeUnitOfWork({ sshDeployKeys, organizations });
  let made = 0;
  const comments: string[] = [];
  const generator = {
    generate: (comment: string): SshKeyPair => {
      made += 1;
      comments.push(comment);
      return {
        privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\nkey-${made}\n-----END OPENSSH PRIVATE KEY-----\n`,
        publicKey: `ssh-ed25519 AAAA${made} ${comment}`,
        fingerprint: `SHA256:fp-${made}`,
      };
    },
  };
  return {
    uow,
    sealed,
    comments,
    create: new CreateSshDeployKey(uow, generator, fixedClock(NOW)),
    get: new GetSshDeployKey(uow),
    remove: new DeleteSshDeployKey(uow),
  };
}

describe('ssh deploy keys', () => {
  it('generates a key named after the org, seals it and answers only its public half, audited', async () => {
    const { create, uow, sealed, comments } = setUp();
    const view = await create.execute({ caller });
    expect(comments).toEqual(['repoguard-acme']);
    expect(view).toEqual({
      publicKey: 'ssh-ed25519 AAAA1 repoguard-acme',
      fingerprint: 'SHA256:fp-1',
      createdAt: new Date(NOW),
    });
    expect(JSON.stringify(view)).not.toContain('PRIVATE');
    expect(sealed.get(ORG)?.privateKey).toContain('key-1');
    expect(uow.scopes).toEqual([{ orgIds: [ORG] }]);
    expect(uow.audited).toEqual([
      expect.objectContaining({
        orgId: ORG,
        action: 'ssh_deploy_key.created',
        targetType: 'organization',
        targetId: ORG,
        metadata: { fingerprint: 'SHA256:fp-1' },
      }),
    ]);
  });

  it('rotates on a second call: the old key is replaced and both fingerprints are audited', async () => {
    const { create, get, uow } = setUp();
    await create.execute({ caller });
    const rotated = await create.execute({ caller });
    expect(rotated.fingerprint).toBe('SHA256:fp-2');
    expect((await get.execute({ caller })).fingerprint).toBe('SHA256:fp-2');
    expect(uow.audited.map((a) => [a.action, a.metadata])).toEqual([
      ['ssh_deploy_key.created', { fingerprint: 'SHA256:fp-1' }],
      ['ssh_deploy_key.rotated', { fingerprint: 'SHA256:fp-2', replaced_fingerprint: 'SHA256:fp-1' }],
    ]);
  });

  it('says SSH_DEPLOY_KEY_NOT_FOUND when there is none to show or remove, and audits nothing', async () => {
    const { get, remove, uow } = setUp();
    await expect(get.execute({ caller })).rejects.toMatchObject({ code: 'SSH_DEPLOY_KEY_NOT_FOUND' });
    await expect(remove.execute({ caller })).rejects.toBeInstanceOf(NotFoundError);
    expect(uow.audited).toEqual([]);
  });

  it('removes the key, audited', async () => {
    const { create, remove, get, uow, sealed } = setUp();
    await create.execute({ caller });
    await remove.execute({ caller });
    expect(sealed.size).toBe(0);
    await expect(get.execute({ caller })).rejects.toMatchObject({ code: 'SSH_DEPLOY_KEY_NOT_FOUND' });
    expect(uow.audited.map((a) => a.action)).toEqual(['ssh_deploy_key.created', 'ssh_deploy_key.removed']);
  });
});
