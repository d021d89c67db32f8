import { messageEventCount, type NotificationMessage } from '@repoguard/domain';
import { describeEvent, messageContext, truncate } from './describe-event';

/** Slack's documented limits for incoming-webhook Block Kit messages. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  contextText: 2000,
  buttonText: 75,
  url: 3000,
  fallbackText: 4000,
} as const;

// Events shown one section each; the rest are counted ("and N more") to stay far below 50 blocks.
const SHOWN_EVENTS = 20;

/** Slack's mrkdwn needs only these three escaped; `<` is what links and @-mentions start with. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type Block = Record<string, unknown>;

/**
 * The message as a Slack incoming webhook takes it: `text` (the notification's fallback) and Block
 * Kit blocks: header, facts, one section per event (cut with "and N more"), context, a button.
 */
export function renderSlackMessage(message: NotificationMessage): { text: string; blocks: Block[] } {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(message.title, SLACK_LIMITS.headerText) } },
  ];
  const facts = [
    ...(message.repo ? [`*Repository*\n${escapeSlack(message.repo.name)}`] : []),
    ...(message.repo?.status ? [`*Status*\n${message.repo.status}`] : []),
    ...(message.severity ? [`*Highest severity*\n${message.severity}`] : []),
    `*Organization*\n${escapeSlack(message.org.name)}`,
  ];
  blocks.push({
    type: 'section',
    fields: facts
      .slice(0, SLACK_LIMITS.fields)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.fieldText) })),
  });
  for (const event of message.events.slice(0, SHOWN_EVENTS)) {
    const { headline, details } = describeEvent(event);
    const text = [`*${escapeSlack(headline)}*`, ...details.map((d) => escapeSlack(d))].join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) },
    });
  }
  const hidden = messageEventCount(message) - Math.min(message.events.length, SHOWN_EVENTS);
  if (hidden > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `_and ${hidden} more_` } });
  }
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: truncate(escapeSlack(messageContext(message)), SLACK_LIMITS.contextText) },
    ],
  });
  if (message.link && message.link.length <= SLACK_LIMITS.url) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in RepoGuard' },
          url: message.link,
          action_id: 'open_repoguard',
        },
      ],
    });
  }
  const count = messageEventCount(message);
  const fallback = `${message.title}${count > 1 ? ` (${count} events)` : ''}`;
  return { text: truncate(escapeSlack(fallback), SLACK_LIMITS.fallbackText), blocks };
}
