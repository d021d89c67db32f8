import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type ChannelHost,
  type OutboundAddressPolicy,
} from '@repoguard/domain';

export const channelNotFound = (): NotFoundError =>
  new NotFoundError('NOTIFICATION_CHANNEL_NOT_FOUND', 'Notification channel not found');

export const channelNameTaken = (name: string): ConflictError =>
  new ConflictError('CHANNEL_NAME_TAKEN', `The org already has a notification channel named "${name}"`, [
    { field: 'name', problem: 'is already used by another channel of this org' },
  ]);

/**
 * The hosts a channel would connect to, judged as repository URLs are: a loopback, private or
 * link-local address (or a name resolving there) is refused unless the operator opened it
 * (NOTIFY_ALLOWED_HOSTS). A name's addresses are not echoed: they may be internal.
 */
export async function checkChannelHosts(
  outbound: OutboundAddressPolicy,
  hosts: readonly ChannelHost[],
): Promise<void> {
  const details: { field: string; problem: string }[] = [];
  for (const { field, host } of hosts) {
    const verdict = await outbound.judge(host);
    if (verdict.allowed) continue;
    details.push({
      field,
      problem:
        verdict.reason === 'unresolvable'
          ? `host ${host} does not resolve`
          : verdict.literal
            ? `host ${host} is a ${verdict.range} address; this server does not send there (NOTIFY_ALLOWED_HOSTS)`
            : `host ${host} resolves to an address this server does not send to (NOTIFY_ALLOWED_HOSTS)`,
    });
  }
  if (details.length > 0) {
    throw new ValidationError(
      `Refused: ${details.map((d) => `${d.field} ${d.problem}`).join('; ')}`,
      details,
      'NOTIFICATION_ADDRESS_FORBIDDEN',
    );
  }
}
