// The routes that read their body as bytes refuse a compressed one before anything reads it: an
// anonymous caller's few KB of gzip must not become megabytes to inflate, parse and walk. No
// service is needed: the refusal comes before authentication looks anything up.
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@repoguard/infrastructure';
import { gzipSync } from 'node:zlib';
import { createApiApp } from '../app.factory';
import { ApiConfig } from '../config/api.config';

describe('bodies kept as bytes (VEX import, SBOM upload)', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await createApiApp(
      loadConfig(ApiConfig, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
        TEMPORAL_ADDRESS: '127.0.0.1:1',
      }),
    );
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/api/v1`;
  });
  afterAll(async () => {
    await app?.close();
  });

  const post = async (path: string, body: Uint8Array | string, headers: Record<string, string>) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', body, headers });
    return [response.status, ((await response.json()) as { error: unknown }).error];
  };
  const zeros = gzipSync(`[${new Array(1_000_000).fill(0).join(',')}]`);

  it.each([
    ['/repos/00000000-0000-4000-8000-000000000001/vex', 'application/json'],
    ['/orgs/00000000-0000-4000-8000-000000000001/sboms', 'application/vnd.cyclonedx+json'],
  ])('%s: a gzipped body is 415 naming Content-Encoding, never inflated', async (path, type) => {
    expect(await post(path, zeros, { 'content-type': type, 'content-encoding': 'gzip' })).toEqual([
      415,
      {
        code: 'UNSUPPORTED_ENCODING',
        message: expect.stringContaining('uncompressed'),
        details: [{ field: 'content-encoding', problem: 'must be absent or identity' }],
      },
    ]);
  });

  it('a VEX document sent as another type is 415 naming Content-Type', async () => {
    const [status, error] = await post('/repos/00000000-0000-4000-8000-000000000001/vex', '{}', {
      'content-type': 'text/plain',
    });
    expect([status, error]).toMatchObject([
      415,
      { code: 'UNSUPPORTED_MEDIA_TYPE', details: [{ field: 'content-type' }] },
    ]);
  });
});
