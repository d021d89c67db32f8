import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CreatePersonalToken, ListPersonalTokens, RevokePersonalToken } from '@repoguard/application';
import type { PersonalTokenRecord } from '@repoguard/domain';
import { Access, UserCaller } from '../access/access.decorator';
import { callerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { CreatePersonalTokenBody } from './personal-token.dto';
import { CreatedPersonalTokenDto, PersonalTokensDto } from './personal-token-response.dto';
import { ApiUnannouncedChangeResponse } from '../errors/unannounced-change.response';

/** Never the secret nor its hash: the prefix tells tokens apart. */
const tokenView = (token: PersonalTokenRecord) => ({
  id: token.id,
  name: token.name,
  prefix: token.prefix,
  created_at: token.createdAt.toISOString(),
  expires_at: token.expiresAt?.toISOString() ?? null,
  last_used_at: token.lastUsedAt?.toISOString() ?? null,
  revoked_at: token.revokedAt?.toISOString() ?? null,
});

/** The signed-in user's own personal tokens: nobody else's are reachable here. */
@ApiTags('personal tokens')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('auth/tokens')
export class PersonalTokensController {
  constructor(
    private readonly createPersonalToken: CreatePersonalToken,
    private readonly listPersonalTokens: ListPersonalTokens,
    private readonly revokePersonalToken: RevokePersonalToken,
  ) {}

  @Post()
  @UserCaller()
  @ApiCreatedResponse({
    type: CreatedPersonalTokenDto,
    description: '`token` is the secret: it is shown this once',
  })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'expires_at not in the future' })
  async create(
    @Access() access: RequestAccess,
    @Body() body: CreatePersonalTokenBody,
  ): Promise<CreatedPersonalTokenDto> {
    const created = await this.createPersonalToken.execute({
      caller: callerOf(access),
      name: body.name,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    return { ...tokenView(created.token), token: created.secret };
  }

  @Get()
  @UserCaller()
  @ApiOkResponse({
    type: PersonalTokensDto,
    description: "The caller's tokens, newest first, revoked and expired ones included",
  })
  async list(@Access() access: RequestAccess): Promise<PersonalTokensDto> {
    const tokens = await this.listPersonalTokens.execute({ caller: callerOf(access) });
    return { items: tokens.map(tokenView) };
  }

  @Delete(':token_id')
  @HttpCode(204)
  @UserCaller()
  @ApiNoContentResponse({ description: 'Revoked: the token stops working at once' })
  @ApiUnannouncedChangeResponse()
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: "PERSONAL_TOKEN_NOT_FOUND: not one of the caller's",
  })
  async revoke(@Access() access: RequestAccess, @Param('token_id') tokenId: string): Promise<void> {
    await this.revokePersonalToken.execute({
      caller: callerOf(access),
      tokenId: requireUuid(tokenId, 'token_id'),
    });
  }
}
