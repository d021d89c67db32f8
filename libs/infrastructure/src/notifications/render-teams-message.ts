import { messageEventCount, type NotificationMessage } from '@repoguard/domain';
import { describeEvent, messageContext, truncate } from './describe-event';

const SHOWN_EVENTS = 20;
const TEXT_MAX = 2000;
const DETAIL_MAX = 600;
/** Teams refuses cards over about 28 KB: events stop at this much text, the rest are counted. */
const EVENT_TEXT_BUDGET = 20_000;

/**
 * Adaptive Card TextBlocks read a subset of Markdown: a stranger's advisory summary must not turn
 * into a link or emphasis, so the characters that start either are escaped.
 */
export function escapeTeams(text: string): string {
  return text.replace(/[\\`*_[\]()#>~|-]/g, (c) => `\\${c}`).replace(/</g, '&lt;');
}

const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'TextBlock',
  text: truncate(text, TEXT_MAX),
  wrap: true,
  ...extra,
});

/**
 * The message for a Teams Workflows webhook ("Post to a channel when a webhook request is
 * received"): one Adaptive Card 1.4 attachment with a title, facts, one block per event (cut with
 * "and N more"), context, and a button to RepoGuard.
 */
export function renderTeamsMessage(message: NotificationMessage): Record<string, unknown> {
  const facts = [
    ...(message.repo ? [{ title: 'Repository', value: escapeTeams(message.repo.name) }] : []),
    ...(message.repo?.status ? [{ title: 'Status', value: message.repo.status }] : []),
    ...(message.severity ? [{ title: 'Highest severity', value: message.severity }] : []),
    { title: 'Organization', value: escapeTeams(message.org.name) },
  ];
  const body: Record<string, unknown>[] = [
    textBlock(escapeTeams(message.title), { size: 'Large', weight: 'Bolder', style: 'heading' }),
    { type: 'FactSet', facts },
  ];
  let shown = 0;
  let used = 0;
  for (const event of message.events.slice(0, SHOWN_EVENTS)) {
    const { headline, details } = describeEvent(event);
    const title = truncate(escapeTeams(headline), TEXT_MAX);
    const detail = truncate(escapeTeams(details.join('\n\n')), DETAIL_MAX);
    if (used + title.length + detail.length > EVENT_TEXT_BUDGET) break;
    used += title.length + detail.length;
    shown++;
    body.push(textBlock(title, { weight: 'Bolder', separator: true }));
    if (detail) body.push(textBlock(detail, { spacing: 'None' }));
  }
  const hidden = messageEventCount(message) - shown;
  if (hidden > 0) body.push(textBlock(`and ${hidden} more`, { isSubtle: true }));
  body.push(textBlock(escapeTeams(messageContext(message)), { isSubtle: true, size: 'Small' }));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: message.link
            ? [{ type: 'Action.OpenUrl', title: 'Open in RepoGuard', url: message.link }]
            : [],
        },
      },
    ],
  };
}
