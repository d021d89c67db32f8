import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, Requires } from '../access/access.decorator';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { FindingListQuery, TriageBody } from './finding.dto';
import { FindingsService } from './findings.service';

@ApiTags('findings')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller()
export class FindingsController {
  constructor(private readonly findings: FindingsService) {}

  @Get('repos/:repo_id/findings')
  @Requires('findings.read', 'repo_param')
  @ApiOkResponse({ description: 'A page of findings, newest first' })
  list(@Access() access: RequestAccess, @Param('repo_id') repoId: string, @Query() query: FindingListQuery) {
    return this.findings.list(access, repoId.toLowerCase(), query);
  }

  @Patch('findings/:finding_id')
  @Requires('findings.triage', 'finding_param')
  @ApiOkResponse({ description: 'The finding after the triage decision (audited)' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'FINDING_FIXED' })
  triage(@Access() access: RequestAccess, @Param('finding_id') findingId: string, @Body() body: TriageBody) {
    return this.findings.triage(access, findingId.toLowerCase(), body);
  }
}
