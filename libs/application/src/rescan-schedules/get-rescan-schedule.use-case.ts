import { NotFoundError, type RescanSchedule, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface GetRescanScheduleCommand {
  readonly caller: OrgCaller;
}

/** The org's rescan schedule; RESCAN_SCHEDULE_NOT_FOUND when it has none. */
export class GetRescanSchedule {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller }: GetRescanScheduleCommand): Promise<RescanSchedule> {
    const schedule = await this.uow.read(caller.scope, ({ rescanSchedules }) =>
      rescanSchedules.get(caller.orgId),
    );
    if (!schedule) throw new NotFoundError('RESCAN_SCHEDULE_NOT_FOUND', 'This org has no rescan schedule');
    return schedule;
  }
}
