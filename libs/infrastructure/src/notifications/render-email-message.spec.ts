import { manyEvents, message } from './notification-message.test-helper';
import { messageIdOf, renderEmailMessage } from './render-email-message';

describe('renderEmailMessage', () => {
  it('has the title as subject, text and HTML bodies, and a Message-ID from the idempotency key', () => {
    const email = renderEmailMessage(message(manyEvents(2)));
    expect(email.subject).toBe('2 new vulnerabilities in acme/api');
    expect(email.text).toContain('- HIGH GHSA-0000-aaaa-bbbb in package-0@1.0.0 (acme/api)');
    expect(email.html).toContain('<strong>HIGH GHSA-0001-aaaa-bbbb in package-1@1.0.0 (acme/api)</strong>');
    expect(email.messageId).toBe(messageIdOf('scan-1:channel-1'));
    expect(email.messageId).toMatch(/^<[0-9a-f]{40}@notifications\.repoguard>$/);
    expect(messageIdOf('another')).not.toBe(email.messageId);
  });

  it('escapes every value in the HTML: package names and summaries are written by strangers', () => {
    const email = renderEmailMessage(message(manyEvents(1, { hostile: true }), { title: 'a <b>title</b>' }));
    expect(email.html).not.toMatch(/<script|<img|<b>title/);
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('pkg&lt;img src=x onerror=alert(1)&gt;0');
  });

  it('keeps the subject on one line', () => {
    expect(renderEmailMessage(message([], { title: 'line\r\nBcc: x@evil.example' })).subject).toBe(
      'line Bcc: x@evil.example',
    );
  });
});
