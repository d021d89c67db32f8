// @octokit/webhooks-methods is ESM with an import-only export map: CommonJS cannot require() it,
// so it is loaded once with a dynamic import (kept as such by TypeScript's node20 module mode).
let methods: Promise<typeof import('@octokit/webhooks-methods')> | undefined;
const webhooksMethods = () => (methods ??= import('@octokit/webhooks-methods'));

/**
 * Checks GitHub's `X-Hub-Signature-256` (HMAC-SHA256 of the raw body under the webhook secret)
 * with @octokit/webhooks-methods, which compares in constant time. Any malformed header is simply
 * a wrong signature.
 */
export async function isGithubSignatureValid(
  secret: string,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<boolean> {
  if (!signature || !/^sha256=[0-9a-f]{64}$/i.test(signature)) return false;
  try {
    return await (await webhooksMethods()).verify(secret, rawBody.toString('utf8'), signature);
  } catch {
    return false;
  }
}
