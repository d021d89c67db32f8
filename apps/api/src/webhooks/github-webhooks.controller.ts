import {
  applyDecorators,
  Controller,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import type { ApiRequest } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { CredentialCheckInterceptor } from '../rate-limit/credential-check.interceptor';
import { RateLimitByIp } from '../rate-limit/rate-limit-by-ip.decorator';
import { GithubWebhooksService } from './github-webhooks.service';
import { DeliveryDto } from './webhook-delivery-response.dto';

/** What both delivery URLs document: GitHub's headers and the answers. */
const Delivery = () =>
  applyDecorators(
    Public(),
    RateLimitByIp(),
    HttpCode(202),
    ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=HMAC of the raw body' }),
    ApiHeader({ name: 'X-GitHub-Event', required: true }),
    ApiHeader({ name: 'X-GitHub-Delivery', required: true }),
    ApiAcceptedResponse({
      type: DeliveryDto,
      description: 'Recorded; `scans` lists the scan requests a push made',
    }),
    ApiOkResponse({
      type: DeliveryDto,
      description: '`ping`, or a delivery id seen before (`duplicate: true`, no second effect)',
    }),
    ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'WEBHOOK_SIGNATURE_INVALID' }),
    ApiBadRequestResponse({
      type: ErrorBodyDto,
      description: 'Missing headers or a body that is not a JSON object',
    }),
    ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'Over 25 MB' }),
    ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'Too many deliveries from this address' }),
  );

@ApiTags('webhooks')
@Controller('webhooks')
export class GithubWebhooksController {
  constructor(private readonly webhooks: GithubWebhooksService) {}

  /** The GitHub App's deliveries, signed with GITHUB_WEBHOOK_SECRET: they may concern any org. */
  @Post('github')
  @Delivery()
  async receive(@Req() request: ApiRequest, @Res({ passthrough: true }) response: Response) {
    return this.answer(request, response);
  }

  /**
   * An org's own webhooks (repository or GitHub-organization hooks it configured), signed with
   * that org's secret (POST /orgs/{org_id}/webhook-secret): they affect that org's repositories
   * only. An org without a secret is answered like a wrong signature.
   */
  @Post('github/orgs/:org_id')
  @Delivery()
  // Finding the org's secret costs queries before the signature is known good: a bad signature
  // counts against the address like a bad token.
  @UseInterceptors(CredentialCheckInterceptor)
  @ApiParam({ name: 'org_id', format: 'uuid' })
  @ApiForbiddenResponse({
    type: ErrorBodyDto,
    description: 'WEBHOOK_EVENT_NOT_ALLOWED: installation events come only from the GitHub App',
  })
  async receiveForOrg(
    @Param('org_id') orgId: string,
    @Req() request: ApiRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.answer(request, response, orgId);
  }

  private async answer(request: ApiRequest, response: Response, orgId?: string) {
    const answer = await this.webhooks.receive({
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      signature: request.header('x-hub-signature-256'),
      event: request.header('x-github-event'),
      deliveryId: request.header('x-github-delivery'),
      ip: request.ip ?? null,
      ...(orgId === undefined ? {} : { orgId }),
    });
    response.status(answer.status);
    return answer.body;
  }
}
