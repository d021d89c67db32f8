import type { EntityManager } from '@mikro-orm/postgresql';
import { OrganizationEntity } from '../persistence/entities';
import type { MikroOrmSecretStore } from '../persistence/repositories/mikro-orm-secret-store';
import type { OrgSshKeys } from './git-cli-manifest-source';
import { readSshDeployKey } from './sealed-ssh-deploy-key';

/**
 * Orgs' ssh deploy keys, sealed in `stored_secrets` (kind ssh_deploy_key); without the secret box
 * none can be opened, so none is used. Slugs come from the org's row (they never change).
 */
export class StoredOrgSshKeys implements OrgSshKeys {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: MikroOrmSecretStore | null,
  ) {}

  async deployKeyOf(orgId: string): Promise<string | null> {
    if (!this.secrets) return null;
    return (await readSshDeployKey(this.secrets, orgId))?.privateKey ?? null;
  }

  async slugOf(orgId: string): Promise<string | null> {
    const org = await this.em
      .fork()
      .findOne(OrganizationEntity, { id: orgId }, { fields: ['slug', 'deletedAt'], filters: false });
    return org && org.deletedAt === null ? org.slug : null;
  }
}
