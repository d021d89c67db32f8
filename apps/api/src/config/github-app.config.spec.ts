import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, githubAppPrivateKey, loadConfig } from '@repoguard/infrastructure';
import { ApiConfig } from './api.config';

const PEM = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const BASE = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', NODE_ENV: 'production' };
const APP = {
  GITHUB_APP_ID: '123456',
  GITHUB_APP_PRIVATE_KEY: PEM,
  GITHUB_WEBHOOK_SECRET: 'a-webhook-secret-of-length',
  PUBLIC_BASE_URL: 'https://repoguard.example.com',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(ApiConfig, { ...BASE, ...env });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message
      .split('\n')
      .map((line) => line.trim().replace(/^- /, ''))
      .filter((line) => /^[A-Z_]+ /.test(line));
  }
}

describe('GitHub App configuration', () => {
  it('is off when none of its variables is set', () => {
    expect(problems({})).toEqual([]);
  });

  it('accepts a complete app, the key inline (also with \\n escapes) or in a file', () => {
    expect(problems(APP)).toEqual([]);
    expect(problems({ ...APP, GITHUB_APP_PRIVATE_KEY: PEM.replace(/\n/g, '\\n') })).toEqual([]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rg-app-')), 'app.pem');
    writeFileSync(file, PEM);
    const { GITHUB_APP_PRIVATE_KEY: _inline, ...rest } = APP;
    const config = loadConfig(ApiConfig, { ...BASE, ...rest, GITHUB_APP_PRIVATE_KEY_PATH: file });
    expect(githubAppPrivateKey(config)).toBe(PEM);
  });

  it.each([
    ['no key', { GITHUB_APP_PRIVATE_KEY: '' }, 'GITHUB_APP_PRIVATE_KEY is not set'],
    [
      'an unparsable key',
      { GITHUB_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----' },
      'GITHUB_APP_PRIVATE_KEY is set (value hidden)',
    ],
    [
      'a key file that is not there',
      { GITHUB_APP_PRIVATE_KEY: '', GITHUB_APP_PRIVATE_KEY_PATH: '/nonexistent/app.pem' },
      'GITHUB_APP_PRIVATE_KEY_PATH',
    ],
    ['no app id', { GITHUB_APP_ID: '' }, 'GITHUB_APP_ID is not set'],
    ['a non-numeric app id', { GITHUB_APP_ID: 'my-app' }, 'GITHUB_APP_ID is "my-app"'],
    ['no webhook secret', { GITHUB_WEBHOOK_SECRET: '' }, 'GITHUB_WEBHOOK_SECRET is not set'],
    ['no public URL', { PUBLIC_BASE_URL: '' }, 'PUBLIC_BASE_URL is not set'],
    [
      'a plain-http public URL in production',
      { PUBLIC_BASE_URL: 'http://repoguard.example.com' },
      'PUBLIC_BASE_URL is "http://repoguard.example.com": must be an https URL',
    ],
  ])('refuses to start with %s, naming the variable', (_case, change, expected) => {
    const found = problems({ ...APP, ...change });
    expect(found.some((line) => line.startsWith(expected))).toBe(true);
    expect(found.join('\n')).not.toContain('nope'); // a key is never quoted back
  });

  describe("the app's OAuth client (linking installations)", () => {
    const OAUTH = {
      GITHUB_APP_CLIENT_ID: 'Iv23liAbCdEf012345',
      GITHUB_APP_CLIENT_SECRET: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_APP_SLUG: 'repoguard-acme',
    };

    it('is optional, and accepted complete with the app and a GitHub Enterprise web URL', () => {
      expect(problems(APP)).toEqual([]);
      expect(problems({ ...APP, ...OAUTH, GITHUB_WEB_URL: 'https://ghe.example.com' })).toEqual([]);
      expect(loadConfig(ApiConfig, { ...BASE, ...APP }).GITHUB_WEB_URL).toBe('https://github.com');
    });

    it.each([
      [
        'a client id alone',
        { GITHUB_APP_CLIENT_SECRET: '', GITHUB_APP_SLUG: '' },
        'GITHUB_APP_CLIENT_SECRET is not set',
      ],
      ['no slug', { GITHUB_APP_SLUG: '' }, 'GITHUB_APP_SLUG is not set'],
      ['a slug that is no URL name', { GITHUB_APP_SLUG: 'my app/x' }, 'GITHUB_APP_SLUG is "my app/x"'],
      [
        'a short secret',
        { GITHUB_APP_CLIENT_SECRET: 'short-secret' },
        'GITHUB_APP_CLIENT_SECRET is set (value hidden)',
      ],
      ['no client id', { GITHUB_APP_CLIENT_ID: '' }, 'GITHUB_APP_CLIENT_ID is not set'],
      ['a web URL that is no URL', { GITHUB_WEB_URL: 'github' }, 'GITHUB_WEB_URL is "github"'],
    ])('refuses to start with %s, naming the variable', (_case, change, expected) => {
      const found = problems({ ...APP, ...OAUTH, ...change });
      expect(found.some((line) => line.startsWith(expected))).toBe(true);
      expect(found.join('\n')).not.toContain('short-secret'); // a secret is never quoted back
    });

    it('refuses the client without the app itself', () => {
      const found = problems(OAUTH);
      expect(
        found.some((line) => line.startsWith('GITHUB_APP_CLIENT_ID') && line.includes('GITHUB_APP_ID')),
      ).toBe(true);
    });
  });

  it('allows a plain-http public URL in development', () => {
    expect(problems({ ...APP, NODE_ENV: 'development', PUBLIC_BASE_URL: 'http://127.0.0.1:3000' })).toEqual(
      [],
    );
  });
});
