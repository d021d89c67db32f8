import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  ConflictError,
  DEFAULT_POLICY,
  judgeFindings,
  NotFoundError,
  parsePolicy,
  ValidationError,
  type PolicyRules,
} from '@repoguard/domain';
import {
  MikroOrmFindingRepository,
  MikroOrmSnapshotRepository,
  PolicyEntity,
  recordAudit,
  RepositoryEntity,
  ScanEntity,
} from '@repoguard/infrastructure';
import { Access, Requires } from '../access/access.decorator';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { EvaluationQuery, PutPolicyBody } from './policy.dto';

const policyView = (policy: PolicyEntity) => ({
  version: policy.version,
  rules: policy.rules,
  created_by: policy.createdBy,
  created_at: policy.createdAt.toISOString(),
});

@ApiTags('policies')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('orgs/:org_id/policies')
export class PoliciesController {
  @Put()
  @Requires('policies.update', 'org_param')
  @ApiOkResponse({ description: 'The new current version' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'POLICY_INVALID: details name each rule',
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'POLICY_CHANGED_CONCURRENTLY: retry' })
  async put(@Access() access: RequestAccess, @Body() body: PutPolicyBody) {
    const rules = parsePolicy(body.rules, 'rules');
    const orgId = access.orgId!;
    const latest = await access.em.findOne(PolicyEntity, { orgId }, { orderBy: { version: 'desc' } });
    const policy = access.em.create(PolicyEntity, {
      orgId,
      version: (latest?.version ?? 0) + 1,
      rules,
      createdBy: `${access.audit.actorType}:${access.audit.actorId ?? 'unknown'}`,
    });
    recordAudit(access.em, access.audit, {
      orgId,
      action: 'policy.updated',
      targetType: 'policy',
      targetId: String(policy.version),
      metadata: { version: policy.version, previous_version: latest?.version ?? null, rules },
    });
    try {
      await access.em.flush();
    } catch (error) {
      // Two saves raced for the same version number: the loser must look at the winner first.
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError(
          'POLICY_CHANGED_CONCURRENTLY',
          'The policy changed meanwhile: read it and retry',
        );
      }
      throw error;
    }
    return policyView(policy);
  }

  @Get()
  @Requires('policies.read', 'org_param')
  @ApiOkResponse({ description: 'The current policy (the default when none was saved) and every version' })
  async list(@Access() access: RequestAccess) {
    const versions = await access.em.find(
      PolicyEntity,
      { orgId: access.orgId! },
      { orderBy: { version: 'desc' } },
    );
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
    description: "The repo's status under the current policy (or `rules`, a dry run), computed now",
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'REPO_NOT_SCANNED' })
  async evaluation(@Access() access: RequestAccess, @Query() query: EvaluationQuery) {
    const orgId = access.orgId!;
    const repo = await access.em.findOne(RepositoryEntity, { id: query.repo_id.toLowerCase(), orgId });
    if (!repo) throw new NotFoundError('REPO_NOT_FOUND', `No repository with id ${query.repo_id}`);
    let rules: PolicyRules;
    let version: number | null;
    if (query.rules !== undefined) {
      rules = parsePolicy(parseJson(query.rules), 'rules');
      version = null;
    } else {
      const current = await access.em.findOne(PolicyEntity, { orgId }, { orderBy: { version: 'desc' } });
      rules = current?.rules ?? DEFAULT_POLICY;
      version = current?.version ?? null;
    }
    const lastScan = await access.em.findOne(
      ScanEntity,
      { repoId: repo.id, status: 'COMPLETED', snapshotId: { $ne: null } },
      { orderBy: { completedAt: 'desc' } },
    );
    if (!lastScan?.snapshotId) {
      throw new ConflictError('REPO_NOT_SCANNED', 'The repository has no completed scan to evaluate yet');
    }
    const [findings, dependencies] = await Promise.all([
      new MikroOrmFindingRepository(access.em).current(repo.id),
      new MikroOrmSnapshotRepository(access.em).dependencies(lastScan.snapshotId),
    ]);
    const evaluation = judgeFindings(rules, findings, dependencies, new Date());
    return {
      repo_id: repo.id,
      status: evaluation.status,
      reasons: evaluation.reasons,
      policy_version: version,
      dry_run: query.rules !== undefined,
      snapshot_id: lastScan.snapshotId,
    };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(
      'rules is not valid JSON',
      [{ field: 'rules', problem: 'must be a JSON object' }],
      'REQUEST_INVALID',
    );
  }
}
