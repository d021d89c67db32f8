import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiHeader,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import type { ApiRequest } from '../common/api-request';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { RateLimitByIp } from '../rate-limit/rate-limit-by-ip.decorator';
import { GithubWebhooksService } from './github-webhooks.service';

@ApiTags('webhooks')
@Controller('webhooks')
export class GithubWebhooksController {
  constructor(private readonly webhooks: GithubWebhooksService) {}

  @Post('github')
  @Public()
  @RateLimitByIp()
  @HttpCode(202)
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true, description: 'sha256=HMAC of the raw body' })
  @ApiHeader({ name: 'X-GitHub-Event', required: true })
  @ApiHeader({ name: 'X-GitHub-Delivery', required: true })
  @ApiAcceptedResponse({ description: 'Recorded; `scans` lists the scan requests a push made' })
  @ApiOkResponse({
    description: '`ping`, or a delivery id seen before (`duplicate: true`, no second effect)',
  })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'WEBHOOK_SIGNATURE_INVALID' })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'Missing headers or a body that is not a JSON object',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'Over 25 MB' })
  @ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'Too many deliveries from this address' })
  async receive(@Req() request: ApiRequest, @Res({ passthrough: true }) response: Response) {
    const answer = await this.webhooks.receive({
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      signature: request.header('x-hub-signature-256'),
      event: request.header('x-github-event'),
      deliveryId: request.header('x-github-delivery'),
      ip: request.ip ?? null,
    });
    response.status(answer.status);
    return answer.body;
  }
}
