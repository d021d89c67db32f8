import { Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { GetWebhookSecretStatus, RemoveWebhookSecret, RotateWebhookSecret } from '@repoguard/application';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { IssuedWebhookSecretDto, WebhookSecretStatusDto } from './secret-status-response.dto';

/** Where an org's own webhooks deliver: named by the org's id, which (unlike its slug) never changes hands. */
export const orgWebhookPath = (orgId: string) => `/api/v1/webhooks/github/orgs/${orgId}`;

/**
 * The secret an org signs its own GitHub webhooks with (repository or GitHub-organization hooks
 * it configures itself), and the URL they deliver to. Generated here, answered once, sealed at
 * rest; a new one replaces the old at once. Deliveries to that URL reach only this org's
 * repositories; the GitHub App keeps the instance's own secret and URL.
 */
@ApiTags('webhooks')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'ENCRYPTION_NOT_CONFIGURED' })
@Controller('orgs/:org_id/webhook-secret')
export class WebhookSecretController {
  constructor(
    private readonly rotateWebhookSecret: RotateWebhookSecret,
    private readonly removeWebhookSecret: RemoveWebhookSecret,
    private readonly getWebhookSecretStatus: GetWebhookSecretStatus,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post()
  @Requires('repos.connect', 'org_param')
  @ApiCreatedResponse({
    type: IssuedWebhookSecretDto,
    description: 'The secret is shown ' + 'this once; a previous secret stops working at once',
  })
  async rotate(@Access() access: RequestAccess): Promise<IssuedWebhookSecretDto> {
    const caller = orgCallerOf(access);
    const issued = await this.rotateWebhookSecret.execute({ caller });
    return {
      secret: issued.secret,
      rotated: issued.rotated,
      configured: true,
      updated_at: issued.updatedAt?.toISOString() ?? null,
      ...this.where(caller.orgId),
    };
  }

  @Get()
  @Requires('repos.read', 'org_param')
  @ApiOkResponse({ type: WebhookSecretStatusDto, description: 'Never the secret' })
  async status(@Access() access: RequestAccess): Promise<WebhookSecretStatusDto> {
    const caller = orgCallerOf(access);
    const { updatedAt } = await this.getWebhookSecretStatus.execute({ caller });
    return {
      configured: updatedAt !== null,
      updated_at: updatedAt?.toISOString() ?? null,
      ...this.where(caller.orgId),
    };
  }

  @Delete()
  @HttpCode(204)
  @Requires('repos.connect', 'org_param')
  @ApiNoContentResponse({ description: "Removed: the org's webhook URL refuses every delivery" })
  async remove(@Access() access: RequestAccess): Promise<void> {
    await this.removeWebhookSecret.execute({ caller: orgCallerOf(access) });
  }

  /** What to enter in GitHub's webhook form. */
  private where(orgId: string) {
    const path = orgWebhookPath(orgId);
    const base = this.config.PUBLIC_BASE_URL?.replace(/(?<!\/)\/+$/, '');
    return {
      webhook_path: path,
      webhook_url: base ? `${base}${path}` : null,
      content_type: 'application/json',
    };
  }
}
