import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GetOrgSummary } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { OrgSummaryDto } from './org-summary-response.dto';
import { orgSummaryView } from './org-summary.view';

@ApiTags('organizations')
@Controller('orgs/:org_id/summary')
export class OrgSummaryController {
  constructor(private readonly getOrgSummary: GetOrgSummary) {}

  @Get()
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({
    type: OrgSummaryDto,
    description:
      'The org’s overview: repositories by status (failing and warning ones with their reasons), open ' +
      'findings by severity and over the last 90 days, the newest critical findings and the latest scans',
  })
  async summary(@Access() access: RequestAccess): Promise<OrgSummaryDto> {
    const caller = orgCallerOf(access);
    return orgSummaryView(caller.orgId, await this.getOrgSummary.execute({ caller }));
  }
}
