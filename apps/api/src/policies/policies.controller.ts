import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { DryRunPolicy, EvaluateRepoPolicy, ListPolicies, UpdatePolicy } from '@repoguard/application';
import { DEFAULT_POLICY, type PolicyVersion } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { EvaluationQuery, PutPolicyBody } from './policy.dto';
import { PoliciesDto, PolicyDryRunDto, PolicyEvaluationDto, PolicyVersionDto } from './policy-response.dto';

const policyView = (policy: PolicyVersion) => ({
  version: policy.version,
  rules: policy.rules,
  created_by: policy.createdBy,
  created_at: policy.createdAt.toISOString(),
});

@ApiTags('policies')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('orgs/:org_id/policies')
export class PoliciesController {
  constructor(
    private readonly updatePolicy: UpdatePolicy,
    private readonly listPolicies: ListPolicies,
    private readonly evaluateRepoPolicy: EvaluateRepoPolicy,
    private readonly dryRunPolicy: DryRunPolicy,
  ) {}

  @Put()
  @Requires('policies.update', 'org_param')
  @ApiOkResponse({ type: PolicyVersionDto, description: 'The new current version' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'POLICY_INVALID: details name each rule',
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'POLICY_CHANGED_CONCURRENTLY: retry' })
  async put(@Access() access: RequestAccess, @Body() body: PutPolicyBody): Promise<PolicyVersionDto> {
    return policyView(await this.updatePolicy.execute({ caller: orgCallerOf(access), rules: body.rules }));
  }

  @Post('dry-run')
  @HttpCode(200)
  // Reading every repository's newest scan costs what saving does: those who may save may try.
  @Requires('policies.update', 'org_param')
  @ApiOkResponse({
    type: PolicyDryRunDto,
    description:
      "What PUT with the same body would do to each repository's status, computed now; nothing is saved",
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'POLICY_INVALID: details name each rule, as PUT does',
  })
  async dryRun(@Access() access: RequestAccess, @Body() body: PutPolicyBody): Promise<PolicyDryRunDto> {
    const run = await this.dryRunPolicy.execute({ caller: orgCallerOf(access), rules: body.rules });
    const items = run.repositories.map((r) => ({
      repo_id: r.repo.id,
      full_name: `${r.repo.owner}/${r.repo.name}`,
      current_status: r.currentStatus,
      status: r.status,
      changed: r.status !== r.currentStatus,
      judged: r.judged,
      reasons: r.reasons,
      snapshot_id: r.snapshotId,
    }));
    return {
      rules: run.rules,
      current_version: run.currentVersion,
      changed: items.filter((i) => i.changed).length,
      // Those that would change first, each group in the repository list's order.
      items: [...items.filter((i) => i.changed), ...items.filter((i) => !i.changed)],
    };
  }

  @Get()
  @Requires('policies.read', 'org_param')
  @ApiOkResponse({
    type: PoliciesDto,
    description: 'The current policy (the default when none was saved) and every version',
  })
  async list(@Access() access: RequestAccess): Promise<PoliciesDto> {
    const versions = await this.listPolicies.execute({ caller: orgCallerOf(access) });
    return {
      current: versions[0]
        ? { ...policyView(versions[0]), default: false }
        : { version: null, rules: DEFAULT_POLICY, created_by: null, created_at: null, default: true },
      history: versions.map(policyView),
    };
  }

  @Get('evaluation')
  @Requires('policies.read', 'org_param')
  @ApiOkResponse({
    type: PolicyEvaluationDto,
    description: "The repo's status under the current policy (or `rules`, a dry run), computed now",
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'REPO_NOT_SCANNED' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'POLICY_INVALID: the dry-run `rules`; details name each rule',
  })
  async evaluation(
    @Access() access: RequestAccess,
    @Query() query: EvaluationQuery,
  ): Promise<PolicyEvaluationDto> {
    const evaluation = await this.evaluateRepoPolicy.execute({
      caller: orgCallerOf(access),
      repoId: query.repo_id.toLowerCase(),
      ...(query.rules !== undefined ? { rulesJson: query.rules } : {}),
    });
    return {
      repo_id: evaluation.repoId,
      status: evaluation.status,
      reasons: evaluation.reasons,
      policy_version: evaluation.policyVersion,
      dry_run: evaluation.dryRun,
      snapshot_id: evaluation.snapshotId,
    };
  }
}
