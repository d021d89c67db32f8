import { messageEventCount, type NotificationMessage } from '@repoguard/domain';
import { colourOf, describeEvent, messageContext, truncate } from './describe-event';

/** Discord's documented embed limits. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title, description, field names and values, footer and author together. */
  total: 6000,
} as const;

/** Discord Markdown: a stranger's text must not become a link, a mention's look or formatting. */
export function escapeDiscord(text: string): string {
  return text.replace(/[\\`*_~|>#[\]()-]/g, (c) => `\\${c}`).replace(/@/g, '@\u200b');
}

/**
 * One embed for a Discord webhook: title, description listing the events (cut with "and N more"
 * to stay within 4,096 and the 6,000 total), facts as fields, colour by severity. Mentions are
 * off (`allowed_mentions.parse: []`), so no advisory text can ping @everyone.
 */
export function renderDiscordMessage(message: NotificationMessage): Record<string, unknown> {
  const title = truncate(message.title, DISCORD_LIMITS.title);
  const fields = [
    ...(message.repo ? [{ name: 'Repository', value: escapeDiscord(message.repo.name), inline: true }] : []),
    ...(message.repo?.status ? [{ name: 'Status', value: message.repo.status, inline: true }] : []),
    ...(message.severity ? [{ name: 'Highest severity', value: message.severity, inline: true }] : []),
  ].map((f) => ({
    ...f,
    name: truncate(f.name, DISCORD_LIMITS.fieldName),
    value: truncate(f.value, DISCORD_LIMITS.fieldValue),
  }));
  const footer = truncate(messageContext(message), DISCORD_LIMITS.footer);
  const used = title.length + footer.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const budget = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.total - used);
  const description = describeEvents(message, budget);
  return {
    embeds: [
      {
        title,
        ...(description ? { description } : {}),
        ...(message.link ? { url: message.link } : {}),
        color: colourOf(message),
        fields,
        footer: { text: footer },
        timestamp: message.created_at.toISOString(),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

// As many whole events as fit in `budget`, then "and N more" (its own room kept free).
function describeEvents(message: NotificationMessage, budget: number): string {
  const lines: string[] = [];
  let length = 0;
  const reserve = 40;
  for (const [i, event] of message.events.entries()) {
    const { headline, details } = describeEvent(event);
    const entry = truncate(
      [`**${escapeDiscord(headline)}**`, ...details.map(escapeDiscord)].join('\n'),
      1000,
    );
    const separator = lines.length > 0 ? 2 : 0;
    if (length + separator + entry.length > budget - reserve) {
      const more = `\n\nand ${messageEventCount(message) - i} more`;
      return truncate(lines.join('\n\n') + more, budget);
    }
    lines.push(entry);
    length += separator + entry.length;
  }
  const hidden = messageEventCount(message) - message.events.length;
  return hidden > 0 ? truncate(`${lines.join('\n\n')}\n\nand ${hidden} more`, budget) : lines.join('\n\n');
}
