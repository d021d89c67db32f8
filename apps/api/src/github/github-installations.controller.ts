import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import {
  ListGithubInstallations,
  ListInstallationRepositories,
  StartGithubInstallationLink,
} from '@repoguard/application';
import { DomainError, type LinkedGithubInstallation } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import {
  GithubInstallationsDto,
  GithubLinkRequestDto,
  GithubReposDto,
} from './github-installation-response.dto';

export class LinkInstallationBody {
  @ApiProperty({ type: 'integer', example: 12345678 })
  @IsInt({ message: 'must be a GitHub installation id (a whole number)' })
  @Min(1, { message: 'must be a GitHub installation id' })
  installation_id!: number;
}

export class LinkRequestBody {
  @ApiPropertyOptional({
    type: 'integer',
    example: 12345678,
    description: 'The installation to link when the app is already installed (then follow authorize_url)',
  })
  @IsOptional()
  @IsInt({ message: 'must be a GitHub installation id (a whole number)' })
  @Min(1, { message: 'must be a GitHub installation id' })
  installation_id?: number;
}

export class InstallationReposQuery {
  @ApiProperty({ type: 'integer' })
  @Type(() => Number)
  @IsInt({ message: 'must be a GitHub installation id (a whole number)' })
  @Min(1, { message: 'must be a GitHub installation id' })
  installation_id!: number;

  @ApiPropertyOptional({ description: 'Only repositories whose full name contains this' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  query?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'next_cursor of the previous page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a next_cursor this API returned' })
  @Min(1, { message: 'must be a next_cursor this API returned' })
  cursor?: number;
}

export const installationView = (row: LinkedGithubInstallation) => ({
  installation_id: row.installationId,
  account: { login: row.accountLogin, type: row.accountType },
  revoked_at: row.revokedAt?.toISOString() ?? null,
  linked_at: row.createdAt.toISOString(),
});

/**
 * GitHub App installations linked to an org, and the repositories (public and private) they grant.
 * An installation belongs to one org at most.
 */
@ApiTags('github')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@ApiServiceUnavailableResponse({
  type: ErrorBodyDto,
  description: 'GITHUB_APP_NOT_CONFIGURED, or GitHub unreachable',
})
@Controller('orgs/:org_id/github')
export class GithubInstallationsController {
  constructor(
    private readonly startGithubInstallationLink: StartGithubInstallationLink,
    private readonly listGithubInstallations: ListGithubInstallations,
    private readonly listInstallationRepositories: ListInstallationRepositories,
  ) {}

  /**
   * Retired: an installation id alone proves nothing (anyone can read one), so it links nothing.
   * Kept to answer old clients with the way forward instead of a bare 404.
   */
  @Post('installations')
  @Requires('repos.connect', 'org_param')
  @ApiGoneResponse({
    type: ErrorBodyDto,
    description: 'GITHUB_INSTALLATION_PROOF_REQUIRED: link through POST .../installations/link-requests',
  })
  link(@Body() _body: LinkInstallationBody): never {
    throw new DomainError(
      'gone',
      'GITHUB_INSTALLATION_PROOF_REQUIRED',
      'Linking by installation id is retired: start a link request (POST /api/v1/orgs/{org_id}/github/installations/link-requests) and prove control of the installation on GitHub',
      [{ field: 'installation_id', problem: 'alone does not prove control of the installation' }],
    );
  }

  @Post('installations/link-requests')
  @Requires('repos.connect', 'org_param')
  @ApiCreatedResponse({
    type: GithubLinkRequestDto,
    description:
      'Send the person to install_url (or, for an installed app, authorize_url): GitHub returns them ' +
      'to GET /api/v1/github/setup, which links the installation if their GitHub account can access it. ' +
      'Single use, valid for 10 minutes.',
  })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'PERSONAL_TOKEN_REQUIRED: an API key cannot' })
  async requestLink(
    @Access() access: RequestAccess,
    @Body() body: LinkRequestBody,
  ): Promise<GithubLinkRequestDto> {
    const started = await this.startGithubInstallationLink.execute({
      caller: orgCallerOf(access),
      ...(body.installation_id !== undefined ? { installationId: String(body.installation_id) } : {}),
    });
    return {
      id: started.id,
      install_url: started.installUrl,
      authorize_url: started.authorizeUrl,
      expires_at: started.expiresAt.toISOString(),
    };
  }

  @Get('installations')
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({ type: GithubInstallationsDto, description: "The org's installations" })
  async list(@Access() access: RequestAccess): Promise<GithubInstallationsDto> {
    const rows = await this.listGithubInstallations.execute({ caller: orgCallerOf(access) });
    return { items: rows.map(installationView) };
  }

  @Get('repos')
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({
    type: GithubReposDto,
    description: 'Repositories the installation grants, a page at a time (`next_cursor`)',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'GITHUB_INSTALLATION_NOT_FOUND: not an installation linked to this org',
  })
  async repos(
    @Access() access: RequestAccess,
    @Query() query: InstallationReposQuery,
  ): Promise<GithubReposDto> {
    const { items, nextPage } = await this.listInstallationRepositories.execute({
      caller: orgCallerOf(access),
      installationId: String(query.installation_id),
      ...(query.query !== undefined ? { query: query.query } : {}),
      page: query.cursor ?? 1,
    });
    return {
      items: items.map((r) => ({
        github_id: r.githubId,
        full_name: r.fullName,
        private: r.private,
        default_branch: r.defaultBranch,
      })),
      next_cursor: nextPage === null ? null : String(nextPage),
    };
  }
}
