import {
  MAX_MESSAGE_EVENTS,
  ruleSelectsEvent,
  SYSTEM_SCOPE,
  type Clock,
  type DispatchRule,
  type NewNotificationDelivery,
  type NotificationDeliveryStarter,
  type QueuedNotificationEvent,
  type RuleMute,
  type UnitOfWork,
} from '@repoguard/domain';

export interface DispatchSettings {
  /** Whole groups are taken per round until this many events (one larger group still comes whole). */
  readonly batchSize: number;
  /** A scan's events wait for its end at most this long, then go as they are. */
  readonly groupWaitMs: number;
  /** Deliveries whose workflow is started per round. */
  readonly startBatchSize: number;
}

export const DEFAULT_DISPATCH_SETTINGS: DispatchSettings = {
  batchSize: 500,
  groupWaitMs: 5 * 60 * 1000,
  startBatchSize: 100,
};

export interface DispatchRound {
  /** Events taken and marked dispatched, matched by a rule or not. */
  readonly events: number;
  readonly deliveriesCreated: number;
  readonly workflowsStarted: number;
  /** Temporal was out of reach: the deliveries wait, and a later round starts them. */
  readonly engineUnavailable: boolean;
}

/**
 * Turns recorded events into deliveries. In one transaction: takes whole groups of undispatched
 * events whose group is ready (each group locked whole, so API replicas running this at once never
 * split one),
 * matches them against the orgs' enabled immediate rules and mutes, writes ONE delivery per event
 * group and channel (whatever the number of events or rules: a scan with 100 new findings is one
 * message per channel), and marks every taken event dispatched. After the commit, starts the
 * workflow of each delivery not started yet, this round's and any a Temporal outage left behind.
 */
export class DispatchNotificationEvents {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly starter: NotificationDeliveryStarter,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly settings: DispatchSettings = DEFAULT_DISPATCH_SETTINGS,
  ) {}

  async execute(): Promise<DispatchRound> {
    const { events, deliveriesCreated } = await this.uow.transaction(
      SYSTEM_SCOPE,
      async ({ notificationDispatch }) => {
        const taken = await notificationDispatch.takeReadyEvents({
          limit: this.settings.batchSize,
          groupWaitMs: this.settings.groupWaitMs,
        });
        if (taken.length === 0) return { events: 0, deliveriesCreated: 0 };
        const now = this.clock.now();
        const rules = await notificationDispatch.immediateRules([...new Set(taken.map((e) => e.org_id))]);
        const mutes = await notificationDispatch.activeMutes(
          rules.map((r) => r.id),
          now,
        );
        let created = 0;
        for (const delivery of this.deliveriesFor(taken, rules, mutes, now)) {
          if (await notificationDispatch.addDelivery(delivery)) created++;
        }
        await notificationDispatch.markDispatched(
          taken.map((e) => e.id),
          now,
        );
        return { events: taken.length, deliveriesCreated: created };
      },
    );
    const { started, engineUnavailable } = await this.startWaiting();
    return { events, deliveriesCreated, workflowsStarted: started, engineUnavailable };
  }

  /** One delivery per group and channel: the events any of the channel's rules selected, and those rules. */
  private deliveriesFor(
    events: readonly QueuedNotificationEvent[],
    rules: readonly DispatchRule[],
    mutes: readonly RuleMute[],
    now: Date,
  ): NewNotificationDelivery[] {
    const byGroup = new Map<string, QueuedNotificationEvent[]>();
    for (const event of events) {
      const key = `${event.org_id}\u0000${event.group_key}`;
      const group = byGroup.get(key);
      if (group) group.push(event);
      else byGroup.set(key, [event]);
    }
    const deliveries: NewNotificationDelivery[] = [];
    for (const group of byGroup.values()) {
      const first = group[0]!;
      // The group key with the round's first seq: events of a group that arrive after it went out
      // (a late scan.failed) make a delivery of their own instead of colliding with the first.
      const groupKey = `${first.group_key}:${first.seq}`;
      const byChannel = new Map<
        string,
        { rule: DispatchRule; ruleIds: Set<string>; eventIds: Set<string> }
      >();
      for (const event of group) {
        for (const rule of rules) {
          if (!ruleSelectsEvent(rule, event, mutes, now)) continue;
          const entry = byChannel.get(rule.channel_id) ?? { rule, ruleIds: new Set(), eventIds: new Set() };
          entry.ruleIds.add(rule.id);
          entry.eventIds.add(event.id);
          byChannel.set(rule.channel_id, entry);
        }
      }
      for (const [channelId, { rule, ruleIds, eventIds }] of byChannel) {
        const ids = group.filter((e) => eventIds.has(e.id)).map((e) => e.id);
        deliveries.push({
          id: this.newId(),
          org_id: first.org_id,
          channel_id: channelId,
          channel_kind: rule.channel.kind,
          channel_name: rule.channel.name,
          rule_ids: [...ruleIds].sort(),
          kind: 'immediate',
          group_key: groupKey,
          // The row names the first events only; the message counts them all.
          event_ids: ids.slice(0, MAX_MESSAGE_EVENTS),
          ...(ids.length > MAX_MESSAGE_EVENTS ? { event_total: ids.length } : {}),
        });
      }
    }
    return deliveries;
  }

  private async startWaiting(): Promise<{ started: number; engineUnavailable: boolean }> {
    const waiting = await this.uow.read(SYSTEM_SCOPE, ({ notificationDispatch }) =>
      notificationDispatch.unstartedDeliveries(this.settings.startBatchSize),
    );
    const started: string[] = [];
    let engineUnavailable = false;
    for (const id of waiting) {
      try {
        await this.starter.start(id);
        started.push(id);
      } catch {
        // Temporal is down (or refused): the row stays unstarted and a later round tries again.
        engineUnavailable = true;
        break;
      }
    }
    if (started.length > 0) {
      await this.uow.transaction(SYSTEM_SCOPE, ({ notificationDispatch }) =>
        notificationDispatch.markStarted(started, this.clock.now()),
      );
    }
    return { started: started.length, engineUnavailable };
  }
}
