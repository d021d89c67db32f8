import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateNotificationChannel,
  DeleteNotificationChannel,
  GetNotificationChannel,
  ListNotificationChannels,
  RotateNotificationChannelSecret,
  TestNotificationChannel,
  UpdateNotificationChannel,
} from '@repoguard/application';
import type { StoredNotificationChannel } from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { CreateNotificationChannelBody, UpdateNotificationChannelBody } from './notification-channel.dto';
import {
  CreatedNotificationChannelDto,
  NotificationChannelDto,
  NotificationChannelsDto,
  NotificationChannelSigningSecretDto,
  NotificationChannelTestDto,
} from './notification-channel-response.dto';

/**
 * Where an org's notifications go: Slack, Microsoft Teams, Discord, a signed generic webhook or
 * email. URLs and credentials are sealed and never answered; only a summary (host, recipients).
 */
@ApiTags('notifications')
@ApiBadRequestResponse({
  type: ErrorBodyDto,
  description: 'REQUEST_INVALID or NOTIFICATION_ADDRESS_FORBIDDEN: `details` name each field',
})
@ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'ENCRYPTION_NOT_CONFIGURED' })
@Controller('orgs/:org_id/notification-channels')
export class NotificationChannelsController {
  constructor(
    private readonly createChannel: CreateNotificationChannel,
    private readonly listChannels: ListNotificationChannels,
    private readonly getChannel: GetNotificationChannel,
    private readonly updateChannel: UpdateNotificationChannel,
    private readonly deleteChannel: DeleteNotificationChannel,
    private readonly testChannel: TestNotificationChannel,
    private readonly rotateSecret: RotateNotificationChannelSecret,
  ) {}

  @Post()
  @Requires('notifications.manage', 'org_param')
  @ApiCreatedResponse({
    type: CreatedNotificationChannelDto,
    description: "The channel; a generic webhook's signing secret is shown this once",
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'CHANNEL_NAME_TAKEN' })
  async create(
    @Access() access: RequestAccess,
    @Body() body: CreateNotificationChannelBody,
  ): Promise<CreatedNotificationChannelDto> {
    const created = await this.createChannel.execute({ caller: orgCallerOf(access), input: body });
    return { ...channelView(created.channel), signing_secret: created.signingSecret };
  }

  @Get()
  @Requires('notifications.read', 'org_param')
  @ApiOkResponse({ type: NotificationChannelsDto, description: "The org's channels by name" })
  async list(@Access() access: RequestAccess): Promise<NotificationChannelsDto> {
    const channels = await this.listChannels.execute({ caller: orgCallerOf(access) });
    return { items: channels.map(channelView) };
  }

  @Get(':channel_id')
  @Requires('notifications.read', 'org_param')
  @ApiOkResponse({ type: NotificationChannelDto })
  async get(
    @Access() access: RequestAccess,
    @Param('channel_id') channelId: string,
  ): Promise<NotificationChannelDto> {
    return channelView(
      await this.getChannel.execute({
        caller: orgCallerOf(access),
        channelId: requireUuid(channelId, 'channel_id'),
      }),
    );
  }

  @Patch(':channel_id')
  @Requires('notifications.manage', 'org_param')
  @ApiOkResponse({ type: NotificationChannelDto, description: 'The channel after the change' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'CHANNEL_NAME_TAKEN or NOTIFICATION_CHANNEL_UNREADABLE',
  })
  async update(
    @Access() access: RequestAccess,
    @Param('channel_id') channelId: string,
    @Body() body: UpdateNotificationChannelBody,
  ): Promise<NotificationChannelDto> {
    return channelView(
      await this.updateChannel.execute({
        caller: orgCallerOf(access),
        channelId: requireUuid(channelId, 'channel_id'),
        input: body,
      }),
    );
  }

  @Delete(':channel_id')
  @HttpCode(204)
  @Requires('notifications.manage', 'org_param')
  @ApiNoContentResponse({ description: 'Deleted, with its sealed secret' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'CHANNEL_IN_USE: a rule still sends to it' })
  async remove(@Access() access: RequestAccess, @Param('channel_id') channelId: string): Promise<void> {
    await this.deleteChannel.execute({
      caller: orgCallerOf(access),
      channelId: requireUuid(channelId, 'channel_id'),
    });
  }

  @Post(':channel_id/test')
  @HttpCode(200)
  @Requires('notifications.manage', 'org_param')
  @ApiOkResponse({
    type: NotificationChannelTestDto,
    description: "A sample message sent now: the receiver's answer is the result, delivered or not",
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'NOTIFICATION_CHANNEL_UNREADABLE' })
  async test(
    @Access() access: RequestAccess,
    @Param('channel_id') channelId: string,
  ): Promise<NotificationChannelTestDto> {
    return this.testChannel.execute({
      caller: orgCallerOf(access),
      channelId: requireUuid(channelId, 'channel_id'),
    });
  }

  @Post(':channel_id/rotate-secret')
  @HttpCode(200)
  @Requires('notifications.manage', 'org_param')
  @ApiOkResponse({
    type: NotificationChannelSigningSecretDto,
    description: 'Generic webhooks: a new signing secret',
  })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'CHANNEL_HAS_NO_SIGNING_SECRET (not a generic webhook) or NOTIFICATION_CHANNEL_UNREADABLE',
  })
  async rotate(
    @Access() access: RequestAccess,
    @Param('channel_id') channelId: string,
  ): Promise<NotificationChannelSigningSecretDto> {
    const { signingSecret } = await this.rotateSecret.execute({
      caller: orgCallerOf(access),
      channelId: requireUuid(channelId, 'channel_id'),
    });
    return { signing_secret: signingSecret };
  }
}

function channelView(channel: StoredNotificationChannel): NotificationChannelDto {
  return {
    id: channel.id,
    org_id: channel.org_id,
    name: channel.name,
    kind: channel.kind,
    summary: {
      ...(channel.summary.host !== undefined ? { host: channel.summary.host } : {}),
      ...(channel.summary.to !== undefined ? { to: [...channel.summary.to] } : {}),
      ...(channel.summary.from !== undefined ? { from: channel.summary.from } : {}),
      ...(channel.summary.smtp_host !== undefined ? { smtp_host: channel.summary.smtp_host } : {}),
    },
    created_by: channel.created_by,
    created_at: channel.created_at.toISOString(),
    updated_at: channel.updated_at.toISOString(),
  };
}
