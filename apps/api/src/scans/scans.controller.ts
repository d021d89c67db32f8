import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Access, Requires } from '../access/access.decorator';
import type { RequestAccess } from '../common/api-request';
import { PageQuery } from '../common/pagination';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { RequestScanBody } from './scan.dto';
import { ScansService } from './scans.service';

@ApiTags('scans')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller()
export class ScansController {
  constructor(private readonly scans: ScansService) {}

  @Post('repos/:repo_id/scan')
  @HttpCode(202)
  @Requires('scans.trigger', 'repo_param')
  @ApiAcceptedResponse({
    description: 'Queued: `deduplicated` when the request joined a scan already asked for',
  })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'Temporal is unreachable' })
  request(@Access() access: RequestAccess, @Param('repo_id') repoId: string, @Body() body: RequestScanBody) {
    return this.scans.request(access, repoId.toLowerCase(), body.ref);
  }

  @Get('repos/:repo_id/scans')
  @Requires('scans.read', 'repo_param')
  @ApiOkResponse({ description: 'Scan history, newest first' })
  list(@Access() access: RequestAccess, @Param('repo_id') repoId: string, @Query() query: PageQuery) {
    return this.scans.list(access, repoId.toLowerCase(), query);
  }

  @Get('scans/:scan_id')
  @Requires('scans.read', 'scan_param')
  @ApiOkResponse({
    description: 'Status, phase timings, counts, commit, error and a link to the run in the Temporal Web UI',
  })
  get(@Access() access: RequestAccess, @Param('scan_id') scanId: string) {
    return this.scans.get(access, scanId.toLowerCase());
  }
}
