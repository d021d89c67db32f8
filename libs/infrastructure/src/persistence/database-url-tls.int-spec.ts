import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig } from './mikro-orm.config';

// The test database's server speaks TLS with a certificate no client here trusts: a connection that
// asks for a verified TLS session is refused, one that skips verification gets TLS, one that asks
// for nothing gets plaintext. What DATABASE_URL's sslmode says must reach the driver: an operator who
// wrote sslmode=require for a managed database must never be sent over plaintext instead.
const baseUrl = process.env['DATABASE_URL'];

function withSslMode(mode: string): string {
  const url = new URL(baseUrl!);
  url.searchParams.set('sslmode', mode);
  return url.toString();
}

async function sessionUsesTls(databaseUrl: string): Promise<boolean> {
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 1 }));
  try {
    const [row] = (await orm.em
      .fork()
      .getConnection()
      .execute(`select ssl from pg_stat_ssl where pid = pg_backend_pid()`)) as { ssl: boolean }[];
    return row!.ssl;
  } finally {
    await orm.close(true);
  }
}

describe('DATABASE_URL sslmode', () => {
  it('is honoured: verify-full and require refuse an untrusted certificate instead of going plaintext', async () => {
    for (const mode of ['require', 'verify-full'])
      await expect(sessionUsesTls(withSslMode(mode))).rejects.toThrow(/certificate/i);
  });

  it('no-verify gets a TLS session; disable and no sslmode get plaintext', async () => {
    await expect(sessionUsesTls(withSslMode('no-verify'))).resolves.toBe(true);
    await expect(sessionUsesTls(withSslMode('disable'))).resolves.toBe(false);
    await expect(sessionUsesTls(baseUrl!)).resolves.toBe(false);
  });
});
