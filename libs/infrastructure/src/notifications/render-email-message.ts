import { createHash } from 'node:crypto';
import { messageEventCount, type NotificationMessage } from '@repoguard/domain';
import { colourOf, describeEvent, messageContext } from './describe-event';

// An email carries every event: no chat limit applies, but a digest of thousands stays readable.
const SHOWN_EVENTS = 200;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Stable per message, so a retried send is recognisably the same mail (and threads dedupe it). */
export function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@notifications.repoguard>`;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
}

/**
 * Subject = the title (one line), a plain-text body and an HTML body in which every value is
 * escaped: advisory summaries and package names are written by strangers.
 */
export function renderEmailMessage(message: NotificationMessage): RenderedEmail {
  const shown = message.events.slice(0, SHOWN_EVENTS).map(describeEvent);
  const hidden = messageEventCount(message) - shown.length;
  const facts: [string, string][] = [
    ...(message.repo ? [['Repository', message.repo.name] as [string, string]] : []),
    ...(message.repo?.status ? [['Status', message.repo.status] as [string, string]] : []),
    ...(message.severity ? [['Highest severity', message.severity] as [string, string]] : []),
    ['Organization', message.org.name],
  ];
  const text = [
    message.title,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    '',
    ...shown.flatMap((e) => [`- ${e.headline}`, ...e.details.map((d) => `  ${d}`)]),
    ...(hidden > 0 ? [`and ${hidden} more`] : []),
    '',
    ...(message.link ? [`Open in RepoGuard: ${message.link}`] : []),
    messageContext(message),
  ].join('\n');
  const colour = `#${colourOf(message).toString(16).padStart(6, '0')}`;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2 style="border-left:6px solid ${colour};padding-left:8px">${escapeHtml(message.title)}</h2>`,
    '<table>',
    ...facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    '<ul>',
    ...shown.map(
      (e) =>
        `<li><strong>${escapeHtml(e.headline)}</strong>${e.details.map((d) => `<br>${escapeHtml(d)}`).join('')}</li>`,
    ),
    '</ul>',
    ...(hidden > 0 ? [`<p>and ${hidden} more</p>`] : []),
    ...(message.link && /^https?:\/\//i.test(message.link)
      ? [`<p><a href="${escapeHtml(message.link)}">Open in RepoGuard</a></p>`]
      : []),
    `<p style="color:#777">${escapeHtml(messageContext(message))}</p>`,
    '</body></html>',
  ].join('\n');
  return {
    subject: message.title.replace(/[\r\n]+/g, ' ').slice(0, 250),
    text,
    html,
    messageId: messageIdOf(message.idempotency_key),
  };
}
