import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { GetScan, GetScanRequest, ListScans, RequestScan } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { callerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, PageQuery, pageOf } from '../common/pagination';
import { requireUuid } from '../common/request-input';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { RequestScanBody, ScanRequestStatusDto } from './scan.dto';
import { scanView } from './scan.view';
import { ScanDto, ScanPageDto, ScanRequestedDto } from './scan-response.dto';

@ApiTags('scans')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller()
export class ScansController {
  constructor(
    private readonly requestScan: RequestScan,
    private readonly listScans: ListScans,
    private readonly getScan: GetScan,
    private readonly getScanRequest: GetScanRequest,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post('repos/:repo_id/scan')
  @HttpCode(202)
  @Requires('scans.trigger', 'repo_param')
  @ApiAcceptedResponse({
    type: ScanRequestedDto,
    description:
      'Recorded. `status: QUEUED`: Temporal took the request (`scan_id` once a worker named it, ' +
      '`deduplicated` when it joined a scan already asked for). `status: PENDING`: Temporal is out ' +
      'of reach; the request is kept (`request_id`) and starts when Temporal is back (`scan_id`, ' +
      '`run_id` null)',
  })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'REPO_DISABLED: archived, deleted or taken out of its installation; not scanned',
  })
  async request(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Body() body: RequestScanBody,
  ): Promise<ScanRequestedDto> {
    const requested = await this.requestScan.execute({
      caller: callerOf(access),
      repoId: repoId.toLowerCase(),
      trigger: 'api',
      ...(body.ref ? { ref: body.ref } : {}),
      identifyScan: true,
    });
    return {
      scan_id: requested.scanId,
      request_id: requested.requestId,
      workflow_id: requested.workflowId,
      run_id: requested.runId,
      status: requested.relayed ? ('QUEUED' as const) : ('PENDING' as const),
      deduplicated: requested.deduplicated,
    };
  }

  @Get('repos/:repo_id/scan-requests/:request_id')
  @Requires('scans.read', 'repo_param')
  @ApiOkResponse({ type: ScanRequestStatusDto, description: 'What became of a scan request (`request_id`)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such request for this repository' })
  async requestStatus(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Param('request_id') requestId: string,
  ): Promise<ScanRequestStatusDto> {
    const status = await this.getScanRequest.execute({
      caller: callerOf(access),
      repoId: requireUuid(repoId, 'repo_id'),
      requestId: requireUuid(requestId, 'request_id'),
    });
    return {
      request_id: status.id,
      repo_id: status.repoId,
      state: status.state,
      attempts: status.attempts,
      last_error: status.lastError,
      scan_id: status.scanId,
      created_at: status.createdAt.toISOString(),
      relayed_at: status.relayedAt?.toISOString() ?? null,
      gave_up_at: status.gaveUpAt?.toISOString() ?? null,
    };
  }

  @Get('repos/:repo_id/scans')
  @Requires('scans.read', 'repo_param')
  @ApiOkResponse({
    type: ScanPageDto,
    description: 'Scan history, newest first; each with the policy `verdict` stored for it (or null)',
  })
  async list(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Query() query: PageQuery,
  ): Promise<ScanPageDto> {
    const { items, total } = await this.listScans.execute({
      caller: callerOf(access),
      repoId: repoId.toLowerCase(),
      limit: query.per_page,
      offset: offsetOf(query),
    });
    return pageOf(
      items.map((scan) => scanView(scan, this.config)),
      query,
      total,
    );
  }

  @Get('scans/:scan_id')
  @Requires('scans.read', 'scan_param')
  @ApiOkResponse({
    type: ScanDto,
    description:
      'Status, phase timings, counts, commit, error, `complete` (false, with `diagnostics`, when a manifest ' +
      'could not be read or none was found), a link to the run in the Temporal Web UI, and the ' +
      "policy `verdict` on the scan's snapshot (status, policy_version, reasons, evaluated_at; null until stored)",
  })
  async get(@Access() access: RequestAccess, @Param('scan_id') scanId: string): Promise<ScanDto> {
    const scan = await this.getScan.execute({ caller: callerOf(access), scanId: scanId.toLowerCase() });
    return scanView(scan, this.config);
  }
}
