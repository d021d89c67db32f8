// No token or secret may reach the logs: every line the API prints, stack traces included, goes
// through the redacting logger, whoever logged it.
import { Logger, type INestApplication } from '@nestjs/common';
import { createApiApp } from '../../apps/api/src/app.factory';
import { testApiConfig } from '../support/api-config';

const ADMIN_TOKEN = 'admin-token-that-must-never-be-printed-0001';
const GITHUB_TOKEN = 'ghp_ThisIsAFakeGithubToken0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-never-printed-0002';
const USER_TOKEN = 'rg_pat_Q2hhcmxpZVNheXNIZWxsbzEyMzQ1Njc4OTA';

describe('log redaction', () => {
  let app: INestApplication;
  let captured = '';
  const restore: (() => void)[] = [];

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return write(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = write));
    }
    app = await createApiApp(
      testApiConfig({
        NODE_ENV: 'development', // prints log lines too, not only warnings and errors
        REPOGUARD_ADMIN_TOKEN: ADMIN_TOKEN,
        GITHUB_TOKEN,
        GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
    );
  });
  afterAll(async () => {
    await app?.close();
    restore.forEach((undo) => undo());
  });

  it('prints [REDACTED] in place of configured secrets and token-shaped strings, in messages and stacks', () => {
    const logger = new Logger('AnyService');
    logger.log(`calling GitHub with ${GITHUB_TOKEN} for ${USER_TOKEN}`);
    logger.warn(`admin token was ${ADMIN_TOKEN}; webhook secret ${WEBHOOK_SECRET}`);
    const error = new Error(`request failed: Authorization: Bearer ${GITHUB_TOKEN}`);
    logger.error(error.message, error.stack);

    logger.error('an error logged without a stack'); // must print, not throw
    expect(captured).toContain('an error logged without a stack');
    expect(captured).toContain('calling GitHub with [REDACTED] for [REDACTED]');
    expect(captured).toContain('admin token was [REDACTED]; webhook secret [REDACTED]');
    expect(captured).toContain('Authorization: Bearer [REDACTED]');
    for (const secret of [ADMIN_TOKEN, GITHUB_TOKEN, WEBHOOK_SECRET, USER_TOKEN]) {
      expect(captured).not.toContain(secret);
    }
  });
});
