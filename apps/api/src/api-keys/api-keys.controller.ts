import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CreateApiKey, ListApiKeys, RevokeApiKey } from '@repoguard/application';
import type { ApiKeyRecord } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { ApiKeyListQuery, CreateApiKeyBody } from './api-key.dto';
import { ApiKeysDto, CreatedApiKeyDto } from './api-key-response.dto';
import { ApiUnannouncedChangeResponse } from '../errors/unannounced-change.response';

const keyView = (key: ApiKeyRecord) => ({
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
  constructor(
    private readonly createApiKey: CreateApiKey,
    private readonly listApiKeys: ListApiKeys,
    private readonly revokeApiKey: RevokeApiKey,
  ) {}

  @Post()
  @Requires('api_keys.manage', 'org_field')
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: '`key` is the secret: it is shown this once' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'expires_at not in the future' })
  async create(@Access() access: RequestAccess, @Body() body: CreateApiKeyBody): Promise<CreatedApiKeyDto> {
    const created = await this.createApiKey.execute({
      caller: orgCallerOf(access),
      name: body.name,
      role: body.role,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    return { ...keyView(created.key), key: created.token };
  }

  @Get()
  @Requires('api_keys.manage', 'org_field')
  @ApiOkResponse({ type: ApiKeysDto, description: "The org's keys, revoked and expired ones included" })
  async list(@Access() access: RequestAccess, @Query() _query: ApiKeyListQuery): Promise<ApiKeysDto> {
    const keys = await this.listApiKeys.execute({ caller: orgCallerOf(access) });
    return { items: keys.map(keyView) };
  }

  @Delete(':key_id')
  @HttpCode(204)
  @Requires('api_keys.manage', 'api_key_param')
  @ApiNoContentResponse({ description: 'Revoked: the key stops working at once' })
  @ApiUnannouncedChangeResponse()
  async revoke(@Access() access: RequestAccess, @Param('key_id') keyId: string): Promise<void> {
    await this.revokeApiKey.execute({ caller: orgCallerOf(access), keyId: keyId.toLowerCase() });
  }
}
