import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  NotificationChannel,
  NotificationChannelDirectory,
  NotificationChannelSecret,
} from '@repoguard/domain';
import type { AesGcmSecretBox } from '../../crypto/secret-box';
import { NotificationChannelEntity } from '../entities';
import { MikroOrmSecretStore } from '../repositories/mikro-orm-secret-store';
import { encryptionNotConfigured } from './encryption-not-configured';
import { channelViewOf, openChannelSecret } from './mikro-orm-notification-channel-store';

/**
 * Channels as a delivery opens them, by id alone (the delivery row already names the org): the
 * system's own read, on a fresh entity manager per call, outside any request.
 */
export class MikroOrmNotificationChannelDirectory implements NotificationChannelDirectory {
  constructor(
    private readonly em: EntityManager,
    private readonly box: AesGcmSecretBox | null,
  ) {}

  async open(
    channelId: string,
  ): Promise<{ channel: NotificationChannel; secret: NotificationChannelSecret } | null> {
    const em = this.em.fork({ clear: true });
    const row = await em.findOne(NotificationChannelEntity, { id: channelId });
    if (!row) return null;
    if (!this.box) throw encryptionNotConfigured();
    const secret = await openChannelSecret(new MikroOrmSecretStore(em, this.box), row.orgId, row.id);
    if (!secret) return null;
    const { id, org_id, name, kind, summary } = channelViewOf(row);
    return { channel: { id, org_id, name, kind, summary }, secret };
  }
}
