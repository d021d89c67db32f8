// Lines logged through Nest's Logger anywhere in the API go through the one redacting JSON logger.
// No service is needed: the app listens on loopback with PostgreSQL, Temporal and Redis
// connected lazily, as it boots in production.
import { Logger, type INestApplication } from '@nestjs/common';
import { loadConfig } from '@repoguard/infrastructure';
import { createApiApp } from './app.factory';
import { ApiConfig } from './config/api.config';
import { Writable } from 'node:stream';

const ADMIN_TOKEN = 'admin-token-that-must-never-be-printed-0001';
const GITHUB_TOKEN = 'ghp_ThisIsAFakeGithubToken0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-never-printed-0002';
const UNKNOWN_TOKEN = 'rg_pat_Q2hhcmxpZVNheXNIZWxsbzEyMzQ1Njc4OTA';

describe("the API's logger", () => {
  let app: INestApplication;
  const lines: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    app = await createApiApp(
      loadConfig(ApiConfig, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        // Nothing listens on port 1: the app only connects when a request needs it.
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        REPOGUARD_ADMIN_TOKEN: ADMIN_TOKEN,
        GITHUB_TOKEN,
        GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
      { logDestination: destination },
    );
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('prints [REDACTED] in place of configured secrets and token-shaped strings, in messages and stacks', () => {
    const logger = new Logger('AnyService');
    logger.log(`calling GitHub with ${GITHUB_TOKEN} for ${UNKNOWN_TOKEN}`);
    logger.warn(`admin token was ${ADMIN_TOKEN}; webhook secret ${WEBHOOK_SECRET}`);
    const error = new Error(`request failed: Authorization: Bearer ${GITHUB_TOKEN}`);
    logger.error(error.message, error.stack);
    logger.error('an error logged without a stack'); // must print, not throw

    const text = lines.join('\n');
    expect(text).toContain('an error logged without a stack');
    expect(text).toContain('calling GitHub with [REDACTED] for [REDACTED]');
    expect(text).toContain('admin token was [REDACTED]; webhook secret [REDACTED]');
    expect(text).toContain('Authorization: Bearer [REDACTED]');
    for (const secret of [ADMIN_TOKEN, GITHUB_TOKEN, WEBHOOK_SECRET, UNKNOWN_TOKEN]) {
      expect(text).not.toContain(secret);
    }
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((r) => r['msg'] === 'an error logged without a stack')).toMatchObject({
      level: 'error',
      context: 'AnyService',
    });
  });
});
