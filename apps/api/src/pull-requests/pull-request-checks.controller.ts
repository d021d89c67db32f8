import { Controller, Get, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GetPullRequestCheck, ListPullRequestChecks } from '@repoguard/application';
import { ValidationError } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { callerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { PullRequestCheckDto, PullRequestCheckListDto } from './pull-request-check-response.dto';
import { pullRequestCheckView } from './pull-request-check.view';

const MAX_PR_NUMBER = 2_147_483_647;

function requirePrNumber(value: string): number {
  const n = /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_PR_NUMBER) {
    throw new ValidationError(
      'Invalid request: number must be a pull request number',
      [{ field: 'number', problem: 'must be a positive integer' }],
      'REQUEST_INVALID',
    );
  }
  return n;
}

@ApiTags('pull-requests')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'REPO_NOT_FOUND, PR_CHECK_NOT_FOUND' })
@Controller()
export class PullRequestChecksController {
  constructor(
    private readonly listChecks: ListPullRequestChecks,
    private readonly getCheck: GetPullRequestCheck,
  ) {}

  @Get('repos/:repo_id/pull-requests/:number/checks')
  @Requires('findings.read', 'repo_param')
  @ApiOkResponse({
    type: PullRequestCheckListDto,
    description:
      "The pull request's checks, one per head commit, newest request first, with their comparison",
  })
  async list(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Param('number') prNumber: string,
  ): Promise<PullRequestCheckListDto> {
    const checks = await this.listChecks.execute({
      caller: callerOf(access),
      repoId: requireUuid(repoId, 'repo_id'),
      prNumber: requirePrNumber(prNumber),
    });
    return { items: checks.map(pullRequestCheckView) };
  }

  @Get('repos/:repo_id/pull-request-checks/:check_id')
  @Requires('findings.read', 'repo_param')
  @ApiOkResponse({
    type: PullRequestCheckDto,
    description:
      'One check and its comparison: what it introduced, resolved and accepted (the check run links here)',
  })
  async get(
    @Access() access: RequestAccess,
    @Param('repo_id') repoId: string,
    @Param('check_id') checkId: string,
  ): Promise<PullRequestCheckDto> {
    const check = await this.getCheck.execute({
      caller: callerOf(access),
      repoId: requireUuid(repoId, 'repo_id'),
      checkId: requireUuid(checkId, 'check_id'),
    });
    return pullRequestCheckView(check);
  }
}
