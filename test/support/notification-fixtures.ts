// Rows for the digest and schedule tests, written as the rules and events parts of issue 18 store
// them (their APIs live on other branches): an org, a channel, a rule, events, repositories.
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { DigestSchedule, NotificationEventType, NotificationRule, Severity } from '@repoguard/domain';

export async function storedOrg(orm: MikroORM, label: string): Promise<string> {
  const id = randomUUID();
  await orm.em
    .fork()
    .getKnex()('organizations')
    .insert({ id, name: label, slug: `${label}-${id.slice(0, 12)}` });
  return id;
}

export async function storedChannel(orm: MikroORM, orgId: string): Promise<string> {
  const id = randomUUID();
  await orm.em
    .fork()
    .getKnex()('notification_channels')
    .insert({
      id,
      org_id: orgId,
      name: `slack-${id.slice(0, 8)}`,
      kind: 'slack',
      summary: { host: 'hooks.test' },
    });
  return id;
}

export interface StoredRuleOptions {
  readonly digest?: DigestSchedule | null;
  readonly mode?: NotificationRule['mode'];
  readonly enabled?: boolean;
  readonly events?: readonly NotificationEventType[];
  readonly minSeverity?: Severity | null;
  readonly createdAt?: Date;
}

export async function storedRule(
  orm: MikroORM,
  orgId: string,
  channelId: string,
  options: StoredRuleOptions = {},
): Promise<string> {
  const id = randomUUID();
  await orm.em
    .fork()
    .getKnex()('notification_rules')
    .insert({
      id,
      org_id: orgId,
      name: `digest-${id.slice(0, 8)}`,
      channel_id: channelId,
      events: JSON.stringify(options.events ?? ['finding.new', 'repo.status_changed']),
      min_severity: options.minSeverity === undefined ? 'HIGH' : options.minSeverity,
      repositories: JSON.stringify({ kind: 'all' }),
      mode: options.mode ?? 'digest',
      digest:
        options.digest === null
          ? null
          : JSON.stringify(options.digest ?? { frequency: 'daily', hour: 9, timezone: 'Europe/Berlin' }),
      enabled: options.enabled ?? true,
      created_at: options.createdAt ?? new Date(Date.now() - 60 * 60 * 1000),
    });
  return id;
}

export async function updateRule(orm: MikroORM, ruleId: string, changes: Record<string, unknown>) {
  const values = Object.fromEntries(
    Object.entries(changes).map(([key, value]) => [
      key,
      value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value,
    ]),
  );
  await orm.em.fork().getKnex()('notification_rules').where({ id: ruleId }).update(values);
}

/** A finding.new event of `severity`, `minutesAgo` minutes ago (digests read settled events only). */
export async function storedFindingEvent(
  orm: MikroORM,
  orgId: string,
  severity: Severity,
  minutesAgo: number,
): Promise<string> {
  const id = randomUUID();
  await orm.em
    .fork()
    .getKnex()('notification_events')
    .insert({
      id,
      org_id: orgId,
      repo_id: null,
      repo_name: 'acme/api',
      type: 'finding.new',
      severity,
      group_key: `scan-${id}`,
      payload: JSON.stringify({
        finding: {
          finding_id: randomUUID(),
          vulnerability_id: `GHSA-${id.slice(0, 4)}`,
          aliases: [],
          severity,
          ecosystem: 'npm',
          package_name: 'lodash',
          version: '4.17.0',
          manifest_path: 'package-lock.json',
          fixed_versions: ['4.17.21'],
        },
      }),
      occurred_at: new Date(Date.now() - minutesAgo * 60 * 1000),
    });
  return id;
}

export async function storedRepos(orm: MikroORM, orgId: string, count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    org_id: orgId,
    owner: 'acme',
    name: `service-${i}-${randomUUID().slice(0, 6)}`,
    default_branch: 'main',
  }));
  await orm.em.fork().getKnex()('repositories').insert(rows);
  return rows.map((row) => row.id);
}

export async function waitFor<T>(
  what: string,
  read: () => Promise<T | null | undefined | false>,
  deadlineMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited in vain for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
