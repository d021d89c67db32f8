import { Controller, Get, Query, Req, UseInterceptors } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiPropertyOptional,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { CompleteGithubInstallationLink } from '@repoguard/application';
import { Public } from '../auth/public.decorator';
import type { ApiRequest } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { CredentialCheckInterceptor } from '../rate-limit/credential-check.interceptor';
import { RateLimitByIp } from '../rate-limit/rate-limit-by-ip.decorator';
import { installationView } from './github-installations.controller';
import { GithubLinkedDto } from './github-installation-response.dto';

/** The query GitHub puts on the app's setup/callback URL (every parameter it documents). */
export class GithubSetupQuery {
  @ApiProperty({ description: 'The state of the link request, handed back by GitHub' })
  @IsString({ message: 'must be the state of a link request' })
  @Length(1, 200, { message: 'must be the state of a link request' })
  state!: string;

  @ApiPropertyOptional({ description: "GitHub's OAuth code for the person who installed or authorized" })
  @IsOptional()
  @IsString({ message: 'must be a GitHub authorization code' })
  @Length(1, 200, { message: 'must be a GitHub authorization code' })
  code?: string;

  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a GitHub installation id (a whole number)' })
  @Min(1, { message: 'must be a GitHub installation id' })
  installation_id?: number;

  @ApiPropertyOptional({ enum: ['install', 'update', 'request'] })
  @IsOptional()
  @IsIn(['install', 'update', 'request'], { message: 'must be install, update or request' })
  setup_action?: string;

  @ApiPropertyOptional({ description: 'Set by GitHub when the person declined (access_denied)' })
  @IsOptional()
  @IsString()
  @Length(1, 100, { message: 'must be at most 100 characters' })
  error?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 1000, { message: 'must be at most 1000 characters' })
  error_description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 1000, { message: 'must be at most 1000 characters' })
  error_uri?: string;
}

/**
 * The GitHub App's Setup URL and Callback URL: GitHub sends the person here after they installed
 * or authorized the app. No bearer token: the single-use state names the org and the RepoGuard user
 * who asked, and the code proves which GitHub user came back.
 */
@ApiTags('github')
@Controller('github')
export class GithubSetupController {
  constructor(private readonly completeGithubInstallationLink: CompleteGithubInstallationLink) {}

  @Get('setup')
  @Public()
  @RateLimitByIp()
  // The state is a credential: guessing costs a locked lookup, so failures count against the address.
  @UseInterceptors(CredentialCheckInterceptor)
  @ApiOkResponse({
    type: GithubLinkedDto,
    description: 'Linked: the installation, its org and the GitHub login that proved it',
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'GITHUB_LINK_STATE_INVALID, GITHUB_OAUTH_CODE_INVALID, or a missing code or installation',
  })
  @ApiGoneResponse({ type: ErrorBodyDto, description: 'GITHUB_LINK_STATE_USED or GITHUB_LINK_STATE_EXPIRED' })
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description: 'GITHUB_INSTALLATION_NOT_ACCESSIBLE to that GitHub user, or GITHUB_AUTHORIZATION_DENIED',
  })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'GITHUB_INSTALLATION_ALREADY_LINKED, or GITHUB_INSTALLATION_PENDING approval',
  })
  @ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'Too many callbacks from this address' })
  @ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description: 'GITHUB_APP_NOT_CONFIGURED, or GitHub unreachable',
  })
  async setup(@Query() query: GithubSetupQuery, @Req() request: ApiRequest): Promise<GithubLinkedDto> {
    const { installation, githubLogin } = await this.completeGithubInstallationLink.execute({
      state: query.state,
      ...(query.code !== undefined ? { code: query.code } : {}),
      ...(query.installation_id !== undefined ? { installationId: String(query.installation_id) } : {}),
      ...(query.setup_action !== undefined ? { setupAction: query.setup_action } : {}),
      ...(query.error !== undefined ? { githubError: query.error } : {}),
      correlationId: request.correlationId ?? null,
      ip: request.ip ?? null,
    });
    return {
      org_id: installation.orgId,
      github_login: githubLogin,
      installation: installationView(installation),
    };
  }
}
