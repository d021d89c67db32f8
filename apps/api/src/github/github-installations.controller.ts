import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConflictError, DomainError } from '@repoguard/domain';
import {
  GithubInstallationEntity,
  type GithubAppInstallationTokens,
  recordAudit,
} from '@repoguard/infrastructure';
import { Access, Requires } from '../access/access.decorator';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { GITHUB_APP } from './github-app.provider';
import { linkedInstallation } from './linked-installation';

export class LinkInstallationBody {
  @ApiProperty({ example: 12345678 })
  @IsInt({ message: 'must be a GitHub installation id (a whole number)' })
  @Min(1, { message: 'must be a GitHub installation id' })
  installation_id!: number;
}

export class InstallationReposQuery {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: 'must be a GitHub installation id (a whole number)' })
  @Min(1, { message: 'must be a GitHub installation id' })
  installation_id!: number;

  @ApiPropertyOptional({ description: 'Only repositories whose full name contains this' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  query?: string;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a next_cursor this API returned' })
  @Min(1, { message: 'must be a next_cursor this API returned' })
  cursor?: number;
}

const installationView = (row: GithubInstallationEntity) => ({
  installation_id: String(row.installationId),
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
  constructor(@Inject(GITHUB_APP) private readonly app: GithubAppInstallationTokens | null) {}

  @Post('installations')
  @Requires('repos.connect', 'org_param')
  @ApiCreatedResponse({ description: 'Linked' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'GITHUB_INSTALLATION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'GITHUB_INSTALLATION_ALREADY_LINKED' })
  async link(@Access() access: RequestAccess, @Body() body: LinkInstallationBody) {
    const described = await this.requireApp().describeInstallation(String(body.installation_id));
    const orgId = access.orgId!;
    const row = access.em.create(GithubInstallationEntity, {
      installationId: described.id,
      orgId,
      accountLogin: described.accountLogin,
      accountType: described.accountType,
    });
    recordAudit(access.em, access.audit, {
      orgId,
      action: 'github_installation.linked',
      targetType: 'github_installation',
      targetId: described.id,
      metadata: { account: described.accountLogin },
    });
    try {
      await access.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError(
          'GITHUB_INSTALLATION_ALREADY_LINKED',
          'This installation is already linked to an organization',
          [{ field: 'installation_id', problem: 'is already linked' }],
        );
      }
      throw error;
    }
    return installationView(row);
  }

  @Get('installations')
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({ description: "The org's installations" })
  async list(@Access() access: RequestAccess) {
    const rows = await access.em.find(
      GithubInstallationEntity,
      { orgId: access.orgId! },
      { orderBy: { createdAt: 'asc' } },
    );
    return { items: rows.map(installationView) };
  }

  @Get('repos')
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({ description: 'Repositories the installation grants, a page at a time (`next_cursor`)' })
  async repos(@Access() access: RequestAccess, @Query() query: InstallationReposQuery) {
    const installationId = String(query.installation_id);
    await linkedInstallation(access.em, access.orgId!, installationId);
    const page = query.cursor ?? 1;
    const perPage = 100;
    const { repositories, total } = await this.requireApp().installationRepositories(
      installationId,
      page,
      perPage,
    );
    const needle = query.query?.toLowerCase();
    const items = repositories
      .map((r) => ({
        github_id: String(r['id']),
        full_name: String(r['full_name']),
        private: r['private'] === true,
        default_branch: typeof r['default_branch'] === 'string' ? r['default_branch'] : null,
      }))
      .filter((r) => !needle || r.full_name.toLowerCase().includes(needle));
    return { items, next_cursor: page * perPage < total ? String(page + 1) : null };
  }

  private requireApp(): GithubAppInstallationTokens {
    if (!this.app) {
      throw new DomainError(
        'unavailable',
        'GITHUB_APP_NOT_CONFIGURED',
        'Set GITHUB_APP_ID and its private key to use GitHub App installations',
      );
    }
    return this.app;
  }
}
