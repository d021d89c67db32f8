import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { assertMayGrant, ValidationError } from '@repoguard/domain';
import { ApiKeyEntity, issueToken, recordAudit } from '@repoguard/infrastructure';
import { Access, Requires } from '../access/access.decorator';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { ApiKeyListQuery, CreateApiKeyBody } from './api-key.dto';

const keyView = (key: ApiKeyEntity) => ({
  id: key.id,
  org_id: key.orgId,
  name: key.name,
  role: key.role,
  prefix: key.prefix,
  expires_at: key.expiresAt?.toISOString() ?? null,
  revoked_at: key.revokedAt?.toISOString() ?? null,
  created_at: key.createdAt.toISOString(),
});

@ApiTags('api keys')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('auth/api-keys')
export class ApiKeysController {
  @Post()
  @Requires('api_keys.manage', 'org_field')
  @ApiCreatedResponse({ description: '`key` is the secret: it is shown this once' })
  async create(@Access() access: RequestAccess, @Body() body: CreateApiKeyBody) {
    assertMayGrant(access.role!, body.role);
    const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new ValidationError('expires_at must be in the future', [
        { field: 'expires_at', problem: 'must be in the future' },
      ]);
    }
    const issued = issueToken('api_key');
    const key = access.em.create(ApiKeyEntity, {
      orgId: access.orgId!,
      name: body.name.trim(),
      role: body.role,
      tokenHash: issued.hash,
      prefix: issued.prefix,
      createdBy: access.audit.actorId,
      expiresAt,
    });
    recordAudit(access.em, access.audit, {
      orgId: key.orgId,
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: key.id,
      metadata: { name: key.name, role: key.role, prefix: key.prefix },
    });
    await access.em.flush();
    return { ...keyView(key), key: issued.token };
  }

  @Get()
  @Requires('api_keys.manage', 'org_field')
  async list(@Access() access: RequestAccess, @Query() _query: ApiKeyListQuery) {
    const keys = await access.em.find(
      ApiKeyEntity,
      { orgId: access.orgId! },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
    return { items: keys.map(keyView) };
  }

  @Delete(':key_id')
  @HttpCode(204)
  @Requires('api_keys.manage', 'api_key_param')
  @ApiNoContentResponse({ description: 'Revoked: the key stops working at once' })
  async revoke(@Access() access: RequestAccess, @Param('key_id') keyId: string): Promise<void> {
    const key = await access.em.findOneOrFail(ApiKeyEntity, { id: keyId.toLowerCase() });
    if (key.revokedAt) return; // revoking twice changes nothing, and records nothing
    key.revokedAt = new Date();
    recordAudit(access.em, access.audit, {
      orgId: key.orgId,
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: key.id,
      metadata: { name: key.name, prefix: key.prefix },
    });
    await access.em.flush();
  }
}
