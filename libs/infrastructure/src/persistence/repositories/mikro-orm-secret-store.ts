import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type AesGcmSecretBox, SecretDecryptionError } from '../../crypto/secret-box';
import { StoredSecretEntity, type SecretKind } from '../entities/stored-secret.entity';

export type { SecretKind } from '../entities/stored-secret.entity';

export interface SecretRotation {
  /** Rows re-sealed with the current key by this run. */
  readonly rotated: number;
  /** Rows in the table. */
  readonly total: number;
}

const KIND = /^[a-z][a-z0-9_]{0,31}$/;
const ROTATION_BATCH = 100;

/**
 * Credentials RepoGuard keeps (an org's GitHub token, a repo's webhook secret), one row per
 * (org, kind, owner), sealed by an AesGcmSecretBox. The AAD names the row's identity, so a value
 * copied in SQL to another org, kind or owner no longer opens.
 */
export class MikroOrmSecretStore {
  constructor(
    private readonly em: EntityManager,
    private readonly box: AesGcmSecretBox,
  ) {}

  /** Stores `plaintext` for (org, kind, owner), replacing what was there. */
  async put(orgId: string, kind: SecretKind, ownerId: string | null, plaintext: string): Promise<void> {
    const sealed = this.box.seal(plaintext, aadOf(orgId, kind, ownerId));
    const now = new Date();
    await this.em.fork({ keepTransactionContext: true }).upsert(
      StoredSecretEntity,
      {
        id: randomUUID(),
        orgId,
        kind,
        ownerId,
        sealed,
        keyId: this.box.currentKeyId,
        createdAt: now,
        updatedAt: now,
      },
      {
        onConflictFields: ['orgId', 'kind', 'ownerId'],
        onConflictAction: 'merge',
        onConflictMergeFields: ['sealed', 'keyId', 'updatedAt'],
      },
    );
  }

  /** The plaintext, or null when none is stored; throws SecretDecryptionError when it cannot be read. */
  async get(orgId: string, kind: SecretKind, ownerId: string | null): Promise<string | null> {
    const aad = aadOf(orgId, kind, ownerId);
    const row = await this.em
      .fork({ keepTransactionContext: true })
      .findOne(StoredSecretEntity, { orgId, kind, ownerId });
    return row ? this.box.open(row.sealed, aad) : null;
  }

  /** Whether there was a secret to delete. */
  async delete(orgId: string, kind: SecretKind, ownerId: string | null): Promise<boolean> {
    aadOf(orgId, kind, ownerId); // the same argument checks as put and get
    return (
      (await this.em
        .fork({ keepTransactionContext: true })
        .nativeDelete(StoredSecretEntity, { orgId, kind, ownerId })) > 0
    );
  }

  /**
   * Re-seals with the current key every row sealed with another one, a batch per transaction.
   * Idempotent, so an interrupted run is simply run again. A row that no configured key opens
   * stops the run with SecretDecryptionError: the rows before it stay rotated.
   */
  async rotateAll(): Promise<SecretRotation> {
    const current = this.box.currentKeyId;
    let rotated = 0;
    let after: string | null = null;
    for (;;) {
      const em = this.em.fork({ keepTransactionContext: true });
      const batch: StoredSecretEntity[] = await em.find(
        StoredSecretEntity,
        { keyId: { $ne: current }, ...(after ? { id: { $gt: after } } : {}) },
        { orderBy: { id: 'asc' }, limit: ROTATION_BATCH },
      );
      if (batch.length === 0) break;
      rotated += await em.transactional(async (tx) => {
        let done = 0;
        for (const row of batch) {
          const aad = aadOf(row.orgId, row.kind, row.ownerId);
          const sealed = this.box.seal(this.openForRotation(row, aad), aad);
          // Only if the row still holds what was read: a put meanwhile already used the current key.
          done += await tx.nativeUpdate(
            StoredSecretEntity,
            { id: row.id, sealed: row.sealed },
            { sealed, keyId: current, updatedAt: new Date() },
          );
        }
        return done;
      });
      after = batch[batch.length - 1]!.id;
    }
    const total = await this.em.fork({ keepTransactionContext: true }).count(StoredSecretEntity, {});
    return { rotated, total };
  }

  // Names the row (never its value), so an operator knows which secret holds the run up.
  private openForRotation(row: StoredSecretEntity, aad: string): string {
    try {
      return this.box.open(row.sealed, aad);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      const owner = row.ownerId === null ? '' : `, owner ${row.ownerId}`;
      const which = `row ${row.id}: org ${row.orgId}, ${row.kind}${owner}`;
      throw new SecretDecryptionError(error.reason, `${error.message} (${which})`);
    }
  }
}

// Kinds have no ':' and org ids are UUIDs, so the owner (last) may hold anything but ''; '' would
// share its AAD with a null owner.
function aadOf(orgId: string, kind: string, ownerId: string | null): string {
  if (!KIND.test(kind))
    throw new Error(`secret kind ${JSON.stringify(kind)} must be lowercase letters, digits and _`);
  if (ownerId === '') throw new Error('a secret owner id is null or a non-empty string');
  return `stored_secrets:${orgId}:${kind}:${ownerId ?? ''}`;
}
