import type { NotificationChannel } from './notification-channel';
import type { NotificationMessage } from './notification-message';

/**
 * What a test-send delivers: a message of kind `test` with one made-up finding, so the receiver
 * shows what a real alert will look like. Its idempotency key is new for every test (`testId`):
 * receivers that dedupe must still show the second test.
 */
export function testNotificationMessage(input: {
  readonly channel: NotificationChannel;
  readonly org: { readonly id: string; readonly name: string };
  readonly testId: string;
  readonly now: Date;
  readonly link: string | null;
}): NotificationMessage {
  const { channel, org, testId, now } = input;
  return {
    idempotency_key: `test:${channel.id}:${testId}`,
    kind: 'test',
    org,
    title: `Test notification for channel "${channel.name}"`,
    severity: 'HIGH',
    repo: { id: '00000000-0000-0000-0000-000000000000', name: 'example/repository', status: 'FAIL' },
    link: input.link,
    events: [
      {
        id: `${testId}-event`,
        org_id: org.id,
        repo_id: null,
        repo_name: 'example/repository',
        type: 'finding.new',
        severity: 'HIGH',
        group_key: `test:${testId}`,
        scan_id: null,
        occurred_at: now,
        payload: {
          finding: {
            finding_id: '00000000-0000-0000-0000-000000000000',
            vulnerability_id: 'GHSA-xxxx-xxxx-xxxx',
            aliases: ['CVE-0000-00000'],
            severity: 'HIGH',
            ecosystem: 'npm',
            package_name: 'example-package',
            version: '1.0.0',
            manifest_path: 'package-lock.json',
            fixed_versions: ['1.0.1'],
            summary: 'An example advisory: this is a test message, nothing is wrong',
          },
        },
      },
    ],
    created_at: now,
  };
}
