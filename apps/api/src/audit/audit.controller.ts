import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ListAuditLog } from '@repoguard/application';
import { AUDIT_ACTIONS, ValidationError, type AuditPosition } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { AuditLogPageDto } from './audit-log-response.dto';

export class AuditLogQuery {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: string;

  @ApiPropertyOptional({ description: 'A user id, an API key id, or instance-admin' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  actor_id?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  until?: string;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(100, { message: 'must be at most 100' })
  per_page: number = 50;
}

const encodeCursor = (row: AuditPosition) =>
  Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');

function decodeCursor(cursor: string): AuditPosition {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new ValidationError(
      'Invalid cursor',
      [{ field: 'cursor', problem: 'must be a next_cursor this API returned' }],
      'REQUEST_INVALID',
    );
  }
  return { createdAt, id };
}

@ApiTags('audit')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('orgs/:org_id/audit-logs')
export class AuditController {
  constructor(private readonly listAuditLog: ListAuditLog) {}

  @Get()
  @Requires('audit.read', 'org_param')
  @ApiOkResponse({
    type: AuditLogPageDto,
    description: 'Audit rows, newest first; follow next_cursor for older ones',
  })
  async list(@Access() access: RequestAccess, @Query() query: AuditLogQuery): Promise<AuditLogPageDto> {
    const { items, next } = await this.listAuditLog.execute({
      caller: orgCallerOf(access),
      ...(query.action ? { action: query.action } : {}),
      ...(query.actor_id ? { actorId: query.actor_id } : {}),
      ...(query.since ? { since: new Date(query.since) } : {}),
      ...(query.until ? { until: new Date(query.until) } : {}),
      ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
      limit: query.per_page,
    });
    return {
      items: items.map((row) => ({
        id: row.id,
        org_id: row.orgId,
        actor_type: row.actorType,
        actor_id: row.actorId,
        action: row.action,
        target_type: row.targetType,
        target_id: row.targetId,
        metadata: row.metadata,
        correlation_id: row.correlationId,
        ip: row.ip,
        created_at: row.createdAt.toISOString(),
      })),
      next_cursor: next ? encodeCursor(next) : null,
    };
  }
}
