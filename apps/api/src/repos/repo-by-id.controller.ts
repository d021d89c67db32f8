import { Controller, Get, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GetRepository } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { callerOf, orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { repoView } from './repo.view';
import { RepoDto } from './repo-response.dto';

/**
 * A repository by its id alone, as the other /repos/{repo_id} routes take it: a link to a repository
 * (the dashboard's /repos/{id}) need not carry its org. The guard finds the org from the repository.
 */
@ApiTags('repositories')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('repos/:repo_id')
export class RepoByIdController {
  constructor(private readonly getRepository: GetRepository) {}

  @Get()
  @Requires('repos.read', 'repo_param')
  @ApiOkResponse({
    type: RepoDto,
    description: 'The repository (`org_id` names its org), with `open_findings` by severity',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'REPO_NOT_FOUND: none, or not in your orgs' })
  async get(@Access() access: RequestAccess, @Param('repo_id') repoId: string): Promise<RepoDto> {
    const { repo, openFindings } = await this.getRepository.execute({
      caller: callerOf(access),
      orgId: orgCallerOf(access).orgId,
      repoId: requireUuid(repoId, 'repo_id'),
    });
    return repoView(repo, openFindings);
  }
}
