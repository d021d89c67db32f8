import {
  NotFoundError,
  type Clock,
  type SshDeployKeyView,
  type SshKeyGenerator,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface CreateSshDeployKeyCommand {
  readonly caller: OrgCaller;
}

/**
 * Generates the org's ssh deploy key (ed25519) and seals its private half; a second call rotates
 * it (the old key stops working at once). Only the public half is answered, for the user to add
 * to the repositories the org reads over ssh. Audited with both fingerprints on a rotation.
 */
export class CreateSshDeployKey {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly generator: SshKeyGenerator,
    private readonly clock: Clock,
  ) {}

  execute({ caller }: CreateSshDeployKeyCommand): Promise<SshDeployKeyView> {
    const { orgId } = caller;
    return this.uow.transaction(caller.scope, async ({ organizations, sshDeployKeys, audit }) => {
      const org = await organizations.get(orgId);
      if (!org) throw new NotFoundError('ORG_NOT_FOUND', 'Organization not found');
      const pair = this.generator.generate(`repoguard-${org.slug}`);
      const createdAt = this.clock.now();
      const { replaced, previousFingerprint } = await sshDeployKeys.replace(orgId, pair, createdAt);
      audit.record(caller.actor, {
        orgId,
        action: replaced ? 'ssh_deploy_key.rotated' : 'ssh_deploy_key.created',
        targetType: 'organization',
        targetId: orgId,
        metadata: {
          fingerprint: pair.fingerprint,
          ...(replaced ? { replaced_fingerprint: previousFingerprint } : {}),
        },
      });
      return { publicKey: pair.publicKey, fingerprint: pair.fingerprint, createdAt };
    });
  }
}
