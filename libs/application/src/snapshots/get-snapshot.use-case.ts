import {
  NotFoundError,
  type CountedPage,
  type ListedDependency,
  type PageRequest,
  type SnapshotRecord,
  type UnitOfWork,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface GetSnapshotCommand {
  readonly caller: Caller;
  readonly repoId: string;
  readonly snapshotId: string;
  readonly page: PageRequest;
}

/** A snapshot of the repository (commit, manifests) and a page of its dependencies. */
export class GetSnapshot {
  constructor(private readonly uow: UnitOfWork) {}

  execute({
    caller,
    repoId,
    snapshotId,
    page,
  }: GetSnapshotCommand): Promise<{ snapshot: SnapshotRecord; dependencies: CountedPage<ListedDependency> }> {
    return this.uow.read(caller.scope, async ({ snapshotQueries }) => {
      const snapshot = await snapshotQueries.get(repoId, snapshotId);
      if (!snapshot) {
        throw new NotFoundError('SNAPSHOT_NOT_FOUND', `No snapshot with id ${snapshotId} in this repository`);
      }
      return { snapshot, dependencies: await snapshotQueries.dependencies(snapshot.id, page) };
    });
  }
}
