import { isEcosystem, normalizePackageName } from '@repoguard/domain';

/** A row of `snapshot_package_keys`: the snapshot holds a package of this key in this ecosystem. */
export interface SnapshotPackageKeyRow {
  readonly snapshot_id: string;
  readonly ecosystem: string;
  readonly name_key: string;
}

/**
 * One row per distinct (ecosystem, normalised name) among a snapshot's dependencies, the key an
 * advisory's package is stored under in `mirrored_advisory_packages`, so the two meet by equality.
 * The key is the domain's, never a SQL imitation of it.
 */
export function snapshotPackageKeys(
  snapshotId: string,
  dependencies: Iterable<{ readonly ecosystem: string; readonly name: string }>,
): SnapshotPackageKeyRow[] {
  const keys = new Map<string, SnapshotPackageKeyRow>();
  for (const { ecosystem, name } of dependencies) {
    if (!isEcosystem(ecosystem)) continue;
    const nameKey = normalizePackageName(ecosystem, name);
    keys.set(`${ecosystem}\u0000${nameKey}`, { snapshot_id: snapshotId, ecosystem, name_key: nameKey });
  }
  return [...keys.values()];
}

type Execute = (sql: string, params: unknown[]) => Promise<unknown>;

const INSERT_BATCH = 1000;

/** Inserts key rows; a row already there stays (a backfill run twice writes nothing twice). */
export async function insertSnapshotPackageKeys(
  execute: Execute,
  rows: readonly SnapshotPackageKeyRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH);
    await execute(
      `insert into snapshot_package_keys (snapshot_id, ecosystem, name_key)
       values ${batch.map(() => '(?, ?, ?)').join(', ')} on conflict do nothing`,
      batch.flatMap((row) => [row.snapshot_id, row.ecosystem, row.name_key]),
    );
  }
}

/**
 * Writes the keys of every stored snapshot, `batchSize` snapshots at a time in id order. Every
 * snapshot, not only the latest ones: a later scan of a commit already seen reuses its snapshot,
 * which then becomes the repository's latest.
 */
export async function backfillSnapshotPackageKeys(execute: Execute, batchSize = 500): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const snapshots = (await execute(
      `select id from dependency_snapshots where id > ?::uuid order by id limit ?`,
      [after, batchSize],
    )) as { id: string }[];
    if (snapshots.length === 0) return;
    const ids = snapshots.map((s) => s.id);
    // The ids as one array literal: a bound JS array would be spread into a list by the query builder.
    const names = (await execute(
      `select distinct snapshot_id, ecosystem, name from dependencies where snapshot_id = any(?::uuid[])`,
      [`{${ids.join(',')}}`],
    )) as { snapshot_id: string; ecosystem: string; name: string }[];
    const bySnapshot = new Map<string, { ecosystem: string; name: string }[]>();
    for (const row of names) {
      const list = bySnapshot.get(row.snapshot_id) ?? [];
      list.push(row);
      bySnapshot.set(row.snapshot_id, list);
    }
    await insertSnapshotPackageKeys(
      execute,
      [...bySnapshot].flatMap(([snapshotId, dependencies]) => snapshotPackageKeys(snapshotId, dependencies)),
    );
    after = ids[ids.length - 1]!;
  }
}
