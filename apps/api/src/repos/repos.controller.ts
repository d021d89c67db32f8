import { ValidationError } from '@repoguard/domain';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  ConnectRepository,
  DisconnectRepository,
  GetRepository,
  ListRepositories,
} from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { callerOf, orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, pageOf } from '../common/pagination';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { ConnectRepoBody, DisconnectQuery, RepoListQuery } from './repo.dto';
import { NOTHING_FOUND, repoView } from './repo.view';
import { RepoDto, RepoPageDto } from './repo-response.dto';

@ApiTags('repositories')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('orgs/:org_id/repos')
export class ReposController {
  constructor(
    private readonly connectRepository: ConnectRepository,
    private readonly disconnectRepository: DisconnectRepository,
    private readonly getRepository: GetRepository,
    private readonly listRepositories: ListRepositories,
  ) {}

  @Post()
  @Requires('repos.connect', 'org_param')
  @ApiCreatedResponse({ type: RepoDto, description: 'Connected' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description:
      'REPO_REF_INVALID, REPO_NOT_FOUND (GitHub does not show it), GITHUB_ORG_CREDENTIALS_REQUIRED (private, and only the instance token would read it) or SSH_DEPLOY_KEY_REQUIRED',
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'REPO_ALREADY_CONNECTED' })
  async connect(@Access() access: RequestAccess, @Body() body: ConnectRepoBody): Promise<RepoDto> {
    const caller = orgCallerOf(access);
    if (body.git_url !== undefined) {
      if (body.repo !== undefined || body.installation_id !== undefined) {
        throw new ValidationError(
          'git_url connects a repository on its own',
          [{ field: 'git_url', problem: 'give either repo (GitHub) or git_url, not both' }],
          'REQUEST_INVALID',
        );
      }
      return repoView(
        await this.connectRepository.execute({
          caller,
          gitUrl: body.git_url,
          ...(body.git_credentials ? { login: body.git_credentials } : {}),
        }),
        NOTHING_FOUND,
      );
    }
    if (body.git_credentials !== undefined) {
      throw new ValidationError(
        'git_credentials go with git_url',
        [{ field: 'git_credentials', problem: 'only for repositories given by git_url' }],
        'REQUEST_INVALID',
      );
    }
    // Validated: without git_url, repo is a string (ConnectRepoBody).
    return repoView(
      await this.connectRepository.execute({
        caller,
        repo: body.repo!,
        ...(body.installation_id !== undefined ? { installationId: String(body.installation_id) } : {}),
      }),
      NOTHING_FOUND,
    );
  }

  @Get()
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({
    type: RepoPageDto,
    description:
      'A page of repositories, newest first; each with `open_findings`: its open findings by severity ' +
      '(critical, high, medium, low, unknown) and their total',
  })
  async list(@Access() access: RequestAccess, @Query() query: RepoListQuery): Promise<RepoPageDto> {
    const { items, total } = await this.listRepositories.execute({
      caller: orgCallerOf(access),
      ...(query.status ? { status: query.status } : {}),
      page: { limit: query.per_page, offset: offsetOf(query) },
    });
    return pageOf(
      items.map(({ repo, openFindings }) => repoView(repo, openFindings)),
      query,
      total,
    );
  }

  @Get(':repo_id')
  @Requires('repos.read', 'repo_param')
  @ApiOkResponse({ type: RepoDto, description: 'The repository, with `open_findings` by severity' })
  async get(
    @Access() access: RequestAccess,
    @Param('org_id') orgId: string,
    @Param('repo_id') repoId: string,
  ): Promise<RepoDto> {
    const { repo, openFindings } = await this.getRepository.execute({
      caller: callerOf(access),
      orgId: requireUuid(orgId, 'org_id'),
      repoId: requireUuid(repoId, 'repo_id'),
    });
    return repoView(repo, openFindings);
  }

  @Delete(':repo_id')
  @HttpCode(204)
  @Requires('repos.disconnect', 'repo_param')
  @ApiNoContentResponse({
    description:
      'Disconnected: its sealed credentials deleted, its running scan stopped; its findings stay readable ' +
      '(GET /repos/{repo_id}/findings) for the audit trail unless purge=true',
  })
  async disconnect(
    @Access() access: RequestAccess,
    @Param('org_id') orgId: string,
    @Param('repo_id') repoId: string,
    @Query() query: DisconnectQuery,
  ): Promise<void> {
    await this.disconnectRepository.execute({
      caller: callerOf(access),
      orgId: requireUuid(orgId, 'org_id'),
      repoId: requireUuid(repoId, 'repo_id'),
      purge: query.purge ?? false,
    });
  }
}
