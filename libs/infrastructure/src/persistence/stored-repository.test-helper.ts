import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { DesiredFinding } from '@repoguard/domain';
import { OrganizationEntity, RepositoryEntity } from './entities';
import { createMikroOrmConfig } from './mikro-orm.config';

/** An ORM on the integration database for the enclosing describe, closed after it. */
export function ormPerSuite(poolMax = 2): () => MikroORM {
  let orm: MikroORM | undefined;
  beforeAll(async () => {
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax }));
  });
  afterAll(async () => orm?.close(true));
  return () => orm!;
}

/** A new org with one connected repository, named after `label` and unique to the caller. */
export async function storedRepository(
  orm: MikroORM,
  label: string,
): Promise<{ orgId: string; repoId: string }> {
  const em = orm.em.fork();
  const org = em.create(OrganizationEntity, { name: label, slug: `${label}-${randomUUID().slice(0, 12)}` });
  const repo = em.create(RepositoryEntity, {
    orgId: org.id,
    owner: label,
    name: randomUUID(),
    defaultBranch: 'main',
  });
  await em.flush();
  return { orgId: org.id, repoId: repo.id };
}

/** A HIGH finding of `packageName`@1.0.0 in package-lock.json, its advisory `<prefix>-<packageName>`. */
export const npmFinding = (prefix: string, packageName: string): DesiredFinding => ({
  ecosystem: 'npm',
  packageName,
  version: '1.0.0',
  manifestPath: 'package-lock.json',
  vulnerabilityId: `${prefix}-${packageName}`,
  aliases: [],
  severity: 'HIGH',
  cvssScore: null,
  fixedVersions: ['2.0.0'],
});
