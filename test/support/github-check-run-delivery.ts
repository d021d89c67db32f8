import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { CheckRunEvent } from '../stand-ins/github-stand-in';
import { request, type JsonResponse } from './http';

/**
 * Sends a `check_run` delivery the GitHub stand-in built (`checkRunEvent`) to the API's GitHub App
 * webhook URL, signed with the App's secret as GitHub signs it.
 */
export async function deliverCheckRunEvent(
  apiUrl: string,
  secret: string,
  { event, payload }: CheckRunEvent,
  deliveryId: string = randomUUID(),
): Promise<JsonResponse & { deliveryId: string }> {
  const raw = JSON.stringify(payload);
  const answer = await request(`${apiUrl}/api/v1/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature-256': await sign(secret, raw),
      'user-agent': 'GitHub-Hookshot/stand-in',
    },
    body: raw,
  });
  return { ...answer, deliveryId };
}
