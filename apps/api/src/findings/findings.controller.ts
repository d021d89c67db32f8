import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ListFindings, TriageFinding } from '@repoguard/application';
import type { Severity } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { callerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, pageOf } from '../common/pagination';
import { ErrorBodyDto } from '../errors/error-body.dto';
import {
  FindingAdvisoryDiagnosticDto,
  FindingAdvisoryDiagnosticsDto,
} from './finding-advisory-diagnostic.dto';
import { FindingListQuery, TriageBody } from './finding.dto';
import { findingView } from './finding.view';
import { FindingDto, FindingPageDto } from './finding-response.dto';

@ApiTags('findings')
@ApiExtraModels(FindingAdvisoryDiagnosticDto, FindingAdvisoryDiagnosticsDto)
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller()
export class FindingsController {
  constructor(
    private readonly listFindings: ListFindings,
    private readonly triageFinding: TriageFinding,
  ) {}

  @Get('repos/:repo_id/findings')
  @Requires('findings.read', 'repo_param')
  @ApiOkResponse({
    type: FindingPageDto,
    description:
      'A page of findings, newest first. Each has `advisory_diagnostics` (FindingAdvisoryDiagnosticsDto): ' +
      'how many events of its advisories could not be read as written, per rule applied, and the first 20 ' +
      '(FindingAdvisoryDiagnosticDto); total 0 for most.',
  })
  async list(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Query() query: FindingListQuery,
  ): Promise<FindingPageDto> {
    const { items, total } = await this.listFindings.execute({
      caller: callerOf(access),
      repoId: repoId.toLowerCase(),
      // Validated: one of the severities, in lower case.
      ...(query.severity ? { minSeverity: query.severity.toUpperCase() as Severity } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.ecosystem ? { ecosystem: query.ecosystem } : {}),
      ...(query.package ? { packageName: query.package } : {}),
      page: { limit: query.per_page, offset: offsetOf(query) },
    });
    return pageOf(items.map(findingView), query, total);
  }

  @Patch('findings/:finding_id')
  @Requires('findings.triage', 'finding_param')
  @ApiOkResponse({ type: FindingDto, description: 'The finding after the triage decision (audited)' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'FINDING_FIXED' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'expires_at not in the future' })
  async triage(
    @Access() access: RequestAccess,
    @Param('finding_id') findingId: string,
    @Body() body: TriageBody,
  ): Promise<FindingDto> {
    return findingView(
      await this.triageFinding.execute({
        caller: callerOf(access),
        findingId: findingId.toLowerCase(),
        status: body.status,
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
        ...(body.expires_at ? { expiresAt: new Date(body.expires_at) } : {}),
      }),
    );
  }
}
