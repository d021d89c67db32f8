import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { GetGithubTokenStatus, RemoveGithubToken, SetGithubToken } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { SecretStatusDto } from './secret-status-response.dto';

export class GithubTokenBody {
  @ApiProperty({
    description: "A GitHub token that can read the org's private repositories",
    writeOnly: true,
  })
  @IsString({ message: 'must be a string' })
  @Matches(/^\S{10,255}$/, { message: 'must be 10 to 255 characters without spaces' })
  token!: string;
}

/**
 * An org's own GitHub token (for private repositories without the GitHub App): sealed with
 * AES-256-GCM before it is stored, never answered back, used by the API and the worker for that
 * org's repositories only.
 */
@ApiTags('github')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'ENCRYPTION_NOT_CONFIGURED' })
@Controller('orgs/:org_id/github/token')
export class GithubTokenController {
  constructor(
    private readonly setGithubToken: SetGithubToken,
    private readonly removeGithubToken: RemoveGithubToken,
    private readonly getGithubTokenStatus: GetGithubTokenStatus,
  ) {}

  @Put()
  @Requires('repos.connect', 'org_param')
  @ApiOkResponse({ type: SecretStatusDto, description: 'Stored: the token itself is never answered' })
  async set(@Access() access: RequestAccess, @Body() body: GithubTokenBody): Promise<SecretStatusDto> {
    await this.setGithubToken.execute({ caller: orgCallerOf(access), token: body.token });
    return this.status(access);
  }

  @Get()
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({ type: SecretStatusDto })
  async status(@Access() access: RequestAccess): Promise<SecretStatusDto> {
    const { updatedAt } = await this.getGithubTokenStatus.execute({ caller: orgCallerOf(access) });
    return { configured: updatedAt !== null, updated_at: updatedAt?.toISOString() ?? null };
  }

  @Delete()
  @HttpCode(204)
  @Requires('repos.connect', 'org_param')
  @ApiNoContentResponse({
    description: "Removed: the org's repositories are read with the instance's access again",
  })
  async remove(@Access() access: RequestAccess): Promise<void> {
    await this.removeGithubToken.execute({ caller: orgCallerOf(access) });
  }
}
