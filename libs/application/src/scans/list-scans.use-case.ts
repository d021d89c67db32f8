import type { ScanRecord, UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface ListScansCommand {
  readonly caller: Caller;
  readonly repoId: string;
  readonly limit: number;
  readonly offset: number;
}

/** A repository's scan history, newest first. */
export class ListScans {
  constructor(private readonly uow: UnitOfWork) {}

  execute({
    caller,
    repoId,
    limit,
    offset,
  }: ListScansCommand): Promise<{ items: ScanRecord[]; total: number }> {
    return this.uow.read(caller.scope, ({ scanHistory }) =>
      scanHistory.listByRepo(repoId, { limit, offset }),
    );
  }
}
