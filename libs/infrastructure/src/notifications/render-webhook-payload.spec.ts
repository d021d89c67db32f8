import { Webhook } from 'standardwebhooks';
import { validateWebhook } from '../../../../test/support/notification-receivers';
import { manyEvents, message } from './notification-message.test-helper';
import { renderWebhookPayload, WEBHOOK_EVENT_TYPE } from './render-webhook-payload';

describe('renderWebhookPayload', () => {
  it('is {type, timestamp, data} with the message and its events, named by the idempotency key', () => {
    const { id, body } = renderWebhookPayload(message(manyEvents(2)));
    expect(id).toBe('scan-1:channel-1');
    const parsed = JSON.parse(body);
    expect(parsed).toMatchObject({
      type: WEBHOOK_EVENT_TYPE,
      timestamp: '2026-12-05T10:00:00.000Z',
      data: { idempotency_key: 'scan-1:channel-1', kind: 'immediate', org: { id: 'org-1', name: 'Acme' } },
    });
    expect(parsed.data.events).toHaveLength(2);
    expect(parsed.data.events[0]).toMatchObject({
      type: 'finding.new',
      occurred_at: '2026-12-05T10:00:00.000Z',
    });
  });

  it('stays under 1 MB for a group of 10,000 events, saying how many there were', () => {
    const { body } = renderWebhookPayload(message(manyEvents(10_000)));
    expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);
    const parsed = JSON.parse(body);
    expect(parsed.data.event_count).toBe(10_000);
    expect(parsed.data.events.length).toBeGreaterThan(0);
    expect(parsed.data.events.length).toBeLessThan(10_000);
  });

  it('counts the events a capped load left out', () => {
    const { body } = renderWebhookPayload(message(manyEvents(3), { event_count: 12_000 }));
    expect(JSON.parse(body).data).toMatchObject({ event_count: 12_000 });
  });

  it('verifies with the Standard Webhooks library once signed, and not with another secret', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const { id, body } = renderWebhookPayload(message(manyEvents(1)));
    const now = new Date();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, now, body),
    };
    expect(validateWebhook(JSON.parse(body), body, headers, secret)).toEqual([]);
    const other = `whsec_${Buffer.alloc(32, 8).toString('base64')}`;
    expect(validateWebhook(JSON.parse(body), body, headers, other)).toEqual([
      'signature: No matching signature found',
    ]);
  });
});
