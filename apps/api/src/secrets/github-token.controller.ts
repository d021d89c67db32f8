import { Body, Controller, Delete, Get, HttpCode, Inject, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import {
  type AesGcmSecretBox,
  MikroOrmSecretStore,
  recordAudit,
  StoredSecretEntity,
} from '@repoguard/infrastructure';
import { Access, Requires } from '../access/access.decorator';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { requireSecretBox, SECRET_BOX } from './secret-box.provider';

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
  constructor(@Inject(SECRET_BOX) private readonly box: AesGcmSecretBox | null) {}

  @Put()
  @Requires('repos.connect', 'org_param')
  @ApiOkResponse({ description: '`{ configured: true, updated_at }`: the token itself is never answered' })
  async set(@Access() access: RequestAccess, @Body() body: GithubTokenBody) {
    const orgId = access.orgId!;
    await access.em.transactional(async (tx) => {
      await new MikroOrmSecretStore(tx, this.requireBox()).put(orgId, 'github_token', null, body.token);
      recordAudit(tx, access.audit, {
        orgId,
        action: 'github_token.set',
        targetType: 'organization',
        targetId: orgId,
      });
      await tx.flush();
    });
    return this.status(access);
  }

  @Get()
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({ description: '`{ configured, updated_at }`' })
  status(@Access() access: RequestAccess) {
    return access.em
      .findOne(
        StoredSecretEntity,
        { orgId: access.orgId!, kind: 'github_token', ownerId: null },
        { fields: ['updatedAt'] },
      )
      .then((row) => ({ configured: row !== null, updated_at: row?.updatedAt.toISOString() ?? null }));
  }

  @Delete()
  @HttpCode(204)
  @Requires('repos.connect', 'org_param')
  @ApiNoContentResponse({
    description: "Removed: the org's repositories are read with the instance's access again",
  })
  async remove(@Access() access: RequestAccess): Promise<void> {
    const orgId = access.orgId!;
    await access.em.transactional(async (tx) => {
      const removed = await new MikroOrmSecretStore(tx, this.requireBox()).delete(
        orgId,
        'github_token',
        null,
      );
      if (removed) {
        recordAudit(tx, access.audit, {
          orgId,
          action: 'github_token.removed',
          targetType: 'organization',
          targetId: orgId,
        });
      }
      await tx.flush();
    });
  }

  private requireBox(): AesGcmSecretBox {
    return requireSecretBox(this.box);
  }
}
