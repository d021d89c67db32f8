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
