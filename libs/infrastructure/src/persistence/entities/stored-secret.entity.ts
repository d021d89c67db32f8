import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** What a stored secret is for; `ownerId` says whose it is when an org has several (a repo id). */
export type SecretKind =
  'github_token' | 'webhook_secret' | 'git_credentials' | 'ssh_deploy_key' | 'notification_channel';

/**
 * A credential RepoGuard must use again later, sealed with AES-256-GCM (see AesGcmSecretBox):
 * `sealed` is the `v1.<keyId>...` string, never the plaintext. `keyId` repeats the key id of
 * `sealed` so a rotation finds the rows still sealed with an old key without reading them all.
 */
@Entity({ tableName: 'stored_secrets' })
// NULLS NOT DISTINCT (PostgreSQL 15+): an org-wide secret (owner_id null) is unique too, and an
// upsert on these columns finds it instead of adding a second row.
@Unique({
  name: 'stored_secrets_org_id_kind_owner_id_unique',
  expression:
    'create unique index "stored_secrets_org_id_kind_owner_id_unique" on "stored_secrets" ("org_id", "kind", "owner_id") nulls not distinct',
})
export class StoredSecretEntity {
  [OptionalProps]?: 'ownerId' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  // Indexed by the unique index, which leads with org_id.
  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'string', length: 32 })
  kind!: SecretKind;

  @Property({ type: 'text', nullable: true })
  ownerId: string | null = null;

  @Property({ type: 'text' })
  sealed!: string;

  @Property({ type: 'string', length: 16 })
  keyId!: string;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
