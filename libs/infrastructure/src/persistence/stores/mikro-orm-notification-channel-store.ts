import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ConflictError,
  type NotificationChannel,
  type NotificationChannelSecret,
  type NotificationChannelStore,
  type NotificationChannelSummary,
  type StoredNotificationChannel,
} from '@repoguard/domain';
import { type AesGcmSecretBox, SecretDecryptionError } from '../../crypto/secret-box';
import { NotificationChannelEntity, StoredSecretEntity } from '../entities';
import { MikroOrmSecretStore } from '../repositories/mikro-orm-secret-store';
import { encryptionNotConfigured } from './encryption-not-configured';

/** The `stored_secrets` kind of a channel's secret part; the owner is the channel's id. */
export const NOTIFICATION_CHANNEL_SECRET_KIND = 'notification_channel';

/** Channels in `notification_channels`, their secrets sealed beside them, in the unit of work's transaction. */
export class MikroOrmNotificationChannelStore implements NotificationChannelStore {
  constructor(
    private readonly em: EntityManager,
    private readonly box: AesGcmSecretBox | null,
  ) {}

  async create(
    channel: NotificationChannel & { readonly created_by: string | null },
    secret: NotificationChannelSecret,
  ): Promise<StoredNotificationChannel> {
    const secrets = this.secrets();
    const row = this.em.create(NotificationChannelEntity, {
      id: channel.id,
      orgId: channel.org_id,
      name: channel.name,
      kind: channel.kind,
      summary: channel.summary,
      createdBy: channel.created_by,
    });
    // The row first: a duplicate name fails here, before anything is sealed.
    await this.em.flush();
    await secrets.put(channel.org_id, NOTIFICATION_CHANNEL_SECRET_KIND, channel.id, JSON.stringify(secret));
    return view(row);
  }

  async list(orgId: string): Promise<StoredNotificationChannel[]> {
    const rows = await this.em.find(
      NotificationChannelEntity,
      { orgId },
      { orderBy: { name: 'asc', id: 'asc' } },
    );
    return rows.map(view);
  }

  async get(orgId: string, channelId: string): Promise<StoredNotificationChannel | null> {
    const row = await this.em.findOne(NotificationChannelEntity, { orgId, id: channelId });
    return row ? view(row) : null;
  }

  async openSecret(orgId: string, channelId: string): Promise<NotificationChannelSecret | null> {
    if (!(await this.em.findOne(NotificationChannelEntity, { orgId, id: channelId }, { fields: ['id'] })))
      return null;
    return openChannelSecret(this.secrets(), orgId, channelId);
  }

  async update(
    orgId: string,
    channelId: string,
    change: {
      readonly name?: string;
      readonly summary?: NotificationChannelSummary;
      readonly secret?: NotificationChannelSecret;
    },
  ): Promise<StoredNotificationChannel | null> {
    const row = await this.em.findOne(NotificationChannelEntity, { orgId, id: channelId });
    if (!row) return null;
    if (change.name !== undefined) row.name = change.name;
    if (change.summary !== undefined) row.summary = change.summary;
    row.updatedAt = new Date();
    await this.em.flush();
    if (change.secret) {
      await this.secrets().put(
        orgId,
        NOTIFICATION_CHANNEL_SECRET_KIND,
        channelId,
        JSON.stringify(change.secret),
      );
    }
    return view(row);
  }

  async delete(orgId: string, channelId: string): Promise<'deleted' | 'not_found' | 'in_use'> {
    const row = await this.em.findOne(
      NotificationChannelEntity,
      { orgId, id: channelId },
      { fields: ['id'] },
    );
    if (!row) return 'not_found';
    // Asked first, so the usual case never aborts the transaction; the constraint still decides a race.
    const used = await this.em.execute<{ n: number }[]>(
      'select 1 as n from notification_rules where channel_id = ? limit 1',
      [channelId],
    );
    if (used.length > 0) return 'in_use';
    try {
      await this.em.nativeDelete(NotificationChannelEntity, { orgId, id: channelId });
    } catch (error) {
      if (error instanceof ForeignKeyConstraintViolationException) return 'in_use';
      throw error;
    }
    // Needs no key: a channel whose secret no key opens can still be deleted.
    await this.em.nativeDelete(StoredSecretEntity, {
      orgId,
      kind: NOTIFICATION_CHANNEL_SECRET_KIND,
      ownerId: channelId,
    });
    return 'deleted';
  }

  private secrets(): MikroOrmSecretStore {
    if (!this.box) throw encryptionNotConfigured();
    return new MikroOrmSecretStore(this.em, this.box);
  }
}

/** The sealed secret of a channel, or a 409 naming the way out when no configured key opens it. */
export async function openChannelSecret(
  secrets: MikroOrmSecretStore,
  orgId: string,
  channelId: string,
): Promise<NotificationChannelSecret | null> {
  let plaintext: string | null;
  try {
    plaintext = await secrets.get(orgId, NOTIFICATION_CHANNEL_SECRET_KIND, channelId);
  } catch (error) {
    if (error instanceof SecretDecryptionError) throw channelSecretUnreadable();
    throw error;
  }
  return plaintext === null ? null : (JSON.parse(plaintext) as NotificationChannelSecret);
}

export const channelSecretUnreadable = (): ConflictError =>
  new ConflictError(
    'NOTIFICATION_CHANNEL_UNREADABLE',
    "The channel's sealed URL or credentials cannot be opened with the configured keys: set them again (PATCH) or delete the channel",
  );

export function channelViewOf(row: NotificationChannelEntity): StoredNotificationChannel {
  return view(row);
}

function view(row: NotificationChannelEntity): StoredNotificationChannel {
  return {
    id: row.id,
    org_id: row.orgId,
    name: row.name,
    kind: row.kind,
    summary: row.summary,
    created_by: row.createdBy,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
