import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type {
  ParsedDependency,
  SnapshotManifestRecord,
  SnapshotRepository,
  StoredDependency,
} from '@repoguard/domain';
import { dedupeDependencies, isEcosystem } from '@repoguard/domain';
import { DependencyEntity, DependencySnapshotEntity } from '../entities';
import { writeForConnectedRepo } from './connected-repo-guard';
import { snapshotPackageKeys } from './snapshot-package-keys';

export class MikroOrmSnapshotRepository implements SnapshotRepository {
  constructor(private readonly em: EntityManager) {}

  async commitOf(snapshotId: string): Promise<string | null> {
    const snapshot = await this.em.fork().findOne(DependencySnapshotEntity, { id: snapshotId });
    return snapshot?.commitSha ?? null;
  }

  async findByCommit(
    repoId: string,
    commitSha: string,
  ): Promise<{ id: string; dependencyCount: number } | null> {
    const em = this.em.fork();
    const snapshot = await em.findOne(DependencySnapshotEntity, { repoId, commitSha });
    if (!snapshot) return null;
    return {
      id: snapshot.id,
      dependencyCount: await em.count(DependencyEntity, { snapshotId: snapshot.id }),
    };
  }

  async create(input: {
    orgId: string;
    repoId: string;
    commitSha: string;
    manifests: readonly SnapshotManifestRecord[];
    dependencies: readonly (ParsedDependency & { purl: string })[];
  }): Promise<string> {
    const id = randomUUID();
    const created = await writeForConnectedRepo(this.em.fork(), input.repoId, async (trx) => {
      // A retried activity finds the snapshot its first attempt committed.
      const inserted = await trx('dependency_snapshots')
        .insert({
          id,
          org_id: input.orgId,
          repo_id: input.repoId,
          commit_sha: input.commitSha,
          manifests: JSON.stringify(input.manifests),
        })
        .onConflict(['repo_id', 'commit_sha'])
        .ignore()
        .returning('id');
      if (inserted.length === 0) return false;
      // Parsers already merge repeats; the store does not rely on every future one doing so.
      const rows = dedupeDependencies(input.dependencies).dependencies.map((d) => ({
        id: randomUUID(),
        org_id: input.orgId,
        snapshot_id: id,
        ecosystem: d.ecosystem,
        name: d.name,
        version: d.version,
        specifier: d.specifier ?? null,
        scope: d.scope,
        direct: d.direct,
        manifest_path: d.manifestPath,
        line: d.line ?? null,
        purl: d.purl,
        ...metadataColumns(d),
      }));
      for (let i = 0; i < rows.length; i += 1000) await trx('dependencies').insert(rows.slice(i, i + 1000));
      // With the rows they are read from: re-match targets are found by these keys alone.
      const keys = snapshotPackageKeys(id, rows);
      for (let i = 0; i < keys.length; i += 1000)
        await trx('snapshot_package_keys').insert(keys.slice(i, i + 1000));
      return true;
    });
    if (created) return id;
    const stored = await this.findByCommit(input.repoId, input.commitSha);
    if (!stored) throw new Error(`snapshot of ${input.commitSha} vanished after insert`);
    return stored.id;
  }

  async manifests(snapshotId: string): Promise<SnapshotManifestRecord[]> {
    const snapshot = await this.em
      .fork()
      .findOne(DependencySnapshotEntity, { id: snapshotId }, { fields: ['manifests'] });
    return snapshot?.manifests ?? [];
  }

  async dependencies(snapshotId: string): Promise<StoredDependency[]> {
    const rows = await this.em
      .fork()
      .find(DependencyEntity, { snapshotId }, { orderBy: { manifestPath: 'asc', name: 'asc' } });
    return rows
      .filter((r) => isEcosystem(r.ecosystem))
      .map((r) => ({
        id: r.id,
        ecosystem: r.ecosystem as StoredDependency['ecosystem'],
        name: r.name,
        version: r.version,
        ...(r.specifier !== null ? { specifier: r.specifier } : {}),
        scope: r.scope,
        direct: r.direct,
        manifestPath: r.manifestPath,
        ...(r.line !== null ? { line: r.line } : {}),
        purl: r.purl,
        ...(r.hashes !== null ? { hashes: r.hashes } : {}),
        ...(r.licenses !== null ? { licenses: r.licenses } : {}),
        ...(r.dependsOn !== null ? { dependsOn: r.dependsOn } : {}),
      }));
  }

  async replaceMatches(
    snapshot: { id: string; orgId: string; repoId: string },
    matches: readonly { dependencyId: string; vulnerabilityId: string }[],
  ): Promise<void> {
    await writeForConnectedRepo(this.em.fork(), snapshot.repoId, async (trx) => {
      await trx('dependency_matches').where({ snapshot_id: snapshot.id }).delete();
      // The primary key is the pair (per snapshot): a pair given twice is stored once.
      const unique = new Map(matches.map((m) => [`${m.dependencyId}\u0000${m.vulnerabilityId}`, m]));
      const rows = [...unique.values()].map((m) => ({
        snapshot_id: snapshot.id,
        org_id: snapshot.orgId,
        dependency_id: m.dependencyId,
        vulnerability_id: m.vulnerabilityId,
      }));
      for (let i = 0; i < rows.length; i += 1000)
        await trx('dependency_matches').insert(rows.slice(i, i + 1000));
    });
  }

  async matches(snapshotId: string): Promise<{ dependencyId: string; vulnerabilityId: string }[]> {
    const rows = await this.em
      .fork()
      .getKnex()('dependency_matches')
      .select('dependency_id', 'vulnerability_id')
      .where({ snapshot_id: snapshotId });
    return rows.map((r: { dependency_id: string; vulnerability_id: string }) => ({
      dependencyId: r.dependency_id,
      vulnerabilityId: r.vulnerability_id,
    }));
  }
}

/**
 * The jsonb columns of a dependency's lock-file metadata: NULL where it says nothing (an empty list
 * of hashes or licences says nothing either), `[]` for a graph known to be empty.
 */
function metadataColumns(d: ParsedDependency) {
  const list = (value: readonly unknown[] | undefined) =>
    value !== undefined && value.length > 0 ? JSON.stringify(value) : null;
  return {
    hashes: list(d.hashes),
    licenses: list(d.licenses),
    depends_on: d.dependsOn === undefined ? null : JSON.stringify(d.dependsOn),
  };
}
