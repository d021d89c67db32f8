import { randomBytes } from 'node:crypto';

// 32 random bytes: above the Standard Webhooks minimum of 24 and the size of the HMAC-SHA256 key.
const SECRET_BYTES = 32;

/** A new Standard Webhooks signing secret, `whsec_<base64>`, as its libraries take it. */
export function newWebhookSigningSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}
