import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { GetRescanSchedule, RemoveRescanSchedule, SetRescanSchedule } from '@repoguard/application';
import { rescanScheduleId } from '@repoguard/contract';
import type { RescanSchedule } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { PutRescanScheduleBody } from './rescan-schedule.dto';
import { RescanScheduleDto } from './rescan-schedule-response.dto';

const view = ({ org_id, schedule, updated_by, updated_at }: RescanSchedule): RescanScheduleDto => ({
  org_id,
  frequency: schedule.frequency,
  hour: schedule.hour,
  timezone: schedule.timezone,
  ...(schedule.weekday !== undefined ? { weekday: schedule.weekday } : {}),
  temporal_schedule_id: rescanScheduleId(org_id),
  updated_by,
  updated_at: updated_at.toISOString(),
});

/**
 * An org's periodic rescan of its repositories' default branches (for repositories without push
 * webhooks): admins and owners set it; a Temporal Schedule runs it.
 */
@ApiTags('scans')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('orgs/:org_id/rescan-schedule')
export class RescanScheduleController {
  constructor(
    private readonly setRescanSchedule: SetRescanSchedule,
    private readonly getRescanSchedule: GetRescanSchedule,
    private readonly removeRescanSchedule: RemoveRescanSchedule,
  ) {}

  @Put()
  @Requires('scans.trigger', 'org_param')
  @ApiOkResponse({
    type: RescanScheduleDto,
    description: 'Set (or replaced); audited as rescan_schedule.set',
  })
  async put(
    @Access() access: RequestAccess,
    @Body() body: PutRescanScheduleBody,
  ): Promise<RescanScheduleDto> {
    return view(await this.setRescanSchedule.execute({ caller: orgCallerOf(access), schedule: { ...body } }));
  }

  @Get()
  @Requires('scans.trigger', 'org_param')
  @ApiOkResponse({ type: RescanScheduleDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESCAN_SCHEDULE_NOT_FOUND: none is set' })
  async get(@Access() access: RequestAccess): Promise<RescanScheduleDto> {
    return view(await this.getRescanSchedule.execute({ caller: orgCallerOf(access) }));
  }

  @Delete()
  @HttpCode(204)
  @Requires('scans.trigger', 'org_param')
  @ApiNoContentResponse({ description: 'Removed (the Temporal Schedule goes within seconds); audited' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RESCAN_SCHEDULE_NOT_FOUND: none is set' })
  async remove(@Access() access: RequestAccess): Promise<void> {
    await this.removeRescanSchedule.execute({ caller: orgCallerOf(access) });
  }
}
