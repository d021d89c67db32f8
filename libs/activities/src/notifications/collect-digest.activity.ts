import {
  MAX_MESSAGE_EVENTS,
  ruleSelectsEvent,
  type EventCursor,
  type NotificationDigests,
} from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { CollectDigestInput, CollectDigestResult } from './notification-activity.types';

export interface CollectDigestDeps {
  readonly notificationDigests: NotificationDigests;
}

// Events read per page: a digest of a busy org never holds them all at once, only their ids.
const PAGE = 500;

/**
 * Selects the events a digest rule sends for one period, from its watermark (or the rule's
 * creation) to the period end the run took, and records them as one delivery row naming the
 * oldest MAX_MESSAGE_EVENTS of them and counting the rest (the message says "and N more"). Nothing
 * selected: no row, and the watermark moves on (nothing is lost by that). Idempotent: the row's
 * group key is the rule and the period end, so a retried attempt finds the row it made.
 */
export function createCollectDigestActivity({ notificationDigests: digests }: CollectDigestDeps) {
  return async function collectDigest(input: CollectDigestInput): Promise<CollectDigestResult> {
    return asActivity(async (_cancelled, step) => {
      const state = await digests.ruleState(input.ruleId);
      if (!state) return { outcome: 'skipped', reason: 'rule_gone' };
      const { rule } = state;
      if (!rule.enabled) return { outcome: 'skipped', reason: 'rule_disabled' };
      if (rule.mode !== 'digest') return { outcome: 'skipped', reason: 'rule_not_digest' };
      const to = new Date(input.periodEnd);
      const from = state.watermark ?? state.created_at;
      if (to.getTime() <= from.getTime()) return { outcome: 'nothing' };

      const mutes = await digests.mutes(rule.id);
      const selected: string[] = [];
      let total = 0;
      let cursor: EventCursor | null = null;
      for (;;) {
        const page = await digests.events(rule.org_id, { from, to }, cursor, PAGE);
        for (const { event } of page) {
          if (!ruleSelectsEvent(rule, event, mutes, to)) continue;
          total++;
          if (selected.length < MAX_MESSAGE_EVENTS) selected.push(event.id);
        }
        if (page.length < PAGE) break;
        cursor = page.at(-1)!.cursor;
        step.report({ read: total });
      }
      if (selected.length === 0) {
        await digests.advanceWatermark(rule.id, to);
        return { outcome: 'nothing' };
      }
      const { id } = await digests.recordDelivery({
        org_id: rule.org_id,
        rule_id: rule.id,
        channel: state.channel,
        group_key: `digest:${rule.id}:${to.toISOString()}`,
        event_ids: selected,
        ...(total > selected.length ? { event_total: total } : {}),
      });
      return { outcome: 'delivery', deliveryId: id, events: total, periodFrom: from.toISOString() };
    });
  };
}
