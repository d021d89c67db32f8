import { Body, Controller, Get, Inject, Param, Patch, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ListFindings, SearchOrgFindings, TriageFinding, type FindingCriteria } from '@repoguard/application';
import {
  ValidationError,
  type FindingPage,
  type FindingPageRequest,
  type FindingSort,
  type Severity,
} from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { callerOf, orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { offsetOf } from '../common/pagination';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ErrorBodyDto } from '../errors/error-body.dto';
import {
  FindingAdvisoryDiagnosticDto,
  FindingAdvisoryDiagnosticsDto,
} from './finding-advisory-diagnostic.dto';
import {
  FindingListQuery,
  findingSortOf,
  OrgFindingSearchQuery,
  TriageBody,
  triageDecisionOf,
} from './finding.dto';
import { FindingCursors } from './finding-cursor';
import { findingView } from './finding.view';
import { FindingDto, FindingPageDto, OrgFindingPageDto } from './finding-response.dto';

@ApiTags('findings')
@ApiExtraModels(FindingAdvisoryDiagnosticDto, FindingAdvisoryDiagnosticsDto)
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller()
export class FindingsController {
  private readonly cursors: FindingCursors;

  constructor(
    private readonly listFindings: ListFindings,
    private readonly searchOrgFindings: SearchOrgFindings,
    private readonly triageFinding: TriageFinding,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    // Settings every process of a deployment shares, none of which a client sees.
    this.cursors = new FindingCursors(
      [config.DATABASE_URL, config.REPOGUARD_ENCRYPTION_KEY].filter((s): s is string => s !== undefined),
    );
  }

  // A disconnected repository's findings stay readable: its org is found from them (repo_history_param).
  @Get('repos/:repo_id/findings')
  @Requires('findings.read', 'repo_history_param')
  @ApiOkResponse({
    type: FindingPageDto,
    description:
      'A page of findings: open ones unless `status` says otherwise, most severe and newest first unless ' +
      '`sort` says otherwise. Each has `advisory_diagnostics` (FindingAdvisoryDiagnosticsDto): ' +
      'how many events of its advisories could not be read as written, per rule applied, and the first 20 ' +
      '(FindingAdvisoryDiagnosticDto); total 0 for most. A disconnected repository (not purged) keeps its findings.',
  })
  async list(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Query() query: FindingListQuery,
  ): Promise<FindingPageDto> {
    const criteria = criteriaOf(query);
    const found = await this.listFindings.execute({
      caller: callerOf(access),
      repoId: repoId.toLowerCase(),
      ...criteria,
      page: this.pageRequestOf(query, criteria.sort),
    });
    return this.pageOf(found, query, criteria.sort, findingView);
  }

  @Get('orgs/:org_id/findings')
  @Requires('findings.read', 'org_param')
  @ApiOkResponse({
    type: OrgFindingPageDto,
    description:
      "Findings across the org's connected repositories (which repositories have this advisory or package?), " +
      'each with `repository` ({ id, full_name }); the same filters, `status` default and `sort` as a ' +
      "repository's findings, plus `advisory`.",
  })
  async search(
    @Access() access: RequestAccess,
    @Query() query: OrgFindingSearchQuery,
  ): Promise<OrgFindingPageDto> {
    const criteria = criteriaOf(query);
    const found = await this.searchOrgFindings.execute({
      caller: orgCallerOf(access),
      ...criteria,
      ...(query.advisory ? { advisory: query.advisory } : {}),
      page: this.pageRequestOf(query, criteria.sort),
    });
    return this.pageOf(found, query, criteria.sort, (f) => ({
      ...findingView(f),
      repository: { id: f.repoId, full_name: f.repoFullName },
    }));
  }

  @Patch('findings/:finding_id')
  @Requires('findings.triage', 'finding_param')
  @ApiOkResponse({
    type: FindingDto,
    description:
      'The finding after the triage decision (audited, with who and when and the VEX analysis in `triage`); ' +
      "the repository's status is judged again in the same transaction. The body is `status` (ignored with " +
      'a reason, or open) or a VEX decision (`state`, `justification` only with not_affected, `response` only ' +
      'with exploitable, `detail`); not_affected needs a justification or a detail',
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'FINDING_FIXED, FINDING_WITHDRAWN' })
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
        ...triageDecisionOf(body),
        ...(body.expires_at ? { expiresAt: new Date(body.expires_at) } : {}),
      }),
    );
  }

  /** By `page`, counted; or just after `cursor`'s finding, uncounted. */
  private pageRequestOf(query: FindingListQuery, sort: FindingSort | undefined): FindingPageRequest {
    if (query.cursor === undefined) return { limit: query.per_page, offset: offsetOf(query) };
    if (query.page !== 1) {
      throw new ValidationError(
        'Invalid request: check cursor',
        [{ field: 'cursor', problem: 'give either page or cursor, not both' }],
        'REQUEST_INVALID',
      );
    }
    return {
      limit: query.per_page,
      offset: 0,
      after: this.cursors.decode(query.cursor, sort ?? DEFAULT_SORT),
      withTotal: false,
    };
  }

  private pageOf<T, V>(
    found: FindingPage<T>,
    query: FindingListQuery,
    sort: FindingSort | undefined,
    view: (item: T) => V,
  ) {
    return {
      items: found.items.map(view),
      page: query.cursor === undefined ? query.page : null,
      per_page: query.per_page,
      total: found.total,
      next_cursor: found.next ? this.cursors.encode(sort ?? DEFAULT_SORT, found.next) : null,
    };
  }
}

/** The list's order when `sort` is not given (as the read model orders it). */
const DEFAULT_SORT: FindingSort = { key: 'severity', direction: 'desc' };

/** The query's filters and order as a use case takes them (validated by the DTO). */
function criteriaOf(query: FindingListQuery): FindingCriteria {
  return {
    // One of the severities, in lower case.
    ...(query.severity ? { severity: query.severity.toUpperCase() as Severity } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.ecosystem ? { ecosystem: query.ecosystem } : {}),
    ...(query.package ? { packageName: query.package } : {}),
    ...(query.sort ? { sort: findingSortOf(query.sort) } : {}),
  };
}
