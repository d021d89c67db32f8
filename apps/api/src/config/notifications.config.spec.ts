import { loadConfig, notificationSettings } from '@repoguard/infrastructure';
import { ApiConfig } from './api.config';
import { configProblems, MINIMAL_ENV as BASE } from '../../../../test/support/config-problems';

const problems = (env: Record<string, string>) => configProblems(ApiConfig, env);

describe("the API's notification settings", () => {
  it('default to both loops on, public https receivers only and no SMTP server', () => {
    const config = loadConfig(ApiConfig, BASE);
    expect({
      dispatch: config.NOTIFY_DISPATCH_INTERVAL_MS,
      reconcile: config.NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS,
    }).toEqual({ dispatch: 1_000, reconcile: 10_000 });
    const settings = notificationSettings(config);
    expect(settings.allowHttp).toBe(false);
    expect(settings).not.toHaveProperty('smtpUrl');
    expect(settings).not.toHaveProperty('smtpFrom');
  });

  it('take 0 to turn a loop off in this process', () => {
    const config = loadConfig(ApiConfig, {
      ...BASE,
      NOTIFY_DISPATCH_INTERVAL_MS: '0',
      NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS: '0',
    });
    expect([config.NOTIFY_DISPATCH_INTERVAL_MS, config.NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS]).toEqual([
      0, 0,
    ]);
  });

  it.each([
    ['NOTIFY_DISPATCH_INTERVAL_MS', '-1'],
    ['NOTIFY_DISPATCH_INTERVAL_MS', '10'],
    ['NOTIFY_DISPATCH_INTERVAL_MS', 'often'],
    ['NOTIFY_DISPATCH_INTERVAL_MS', '600001'],
    ['NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS', '1.5'],
    ['NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS', '99'],
    ['NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS', '3600001'],
    ['NOTIFY_ALLOW_HTTP', 'yes'],
    ['NOTIFY_ALLOWED_HOSTS', 'chat internal'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['SMTP_FROM', 'not an address'],
  ])('refuse %s=%p, naming the variable', (variable, value) => {
    expect(problems({ [variable]: value })).toEqual([expect.stringMatching(new RegExp(`^${variable} `))]);
  });

  it('never quote an SMTP_URL they refuse: it may hold the SMTP password', () => {
    expect(problems({ SMTP_URL: 'smtp:// alerts:hunter2@mail' })).toEqual([
      expect.stringMatching(/^SMTP_URL is set \(value hidden\)/),
    ]);
  });
});
