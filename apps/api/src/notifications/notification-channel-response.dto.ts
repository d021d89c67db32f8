import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOTIFICATION_CHANNEL_KINDS, type NotificationChannelKind } from '@repoguard/domain';

/** Enough to recognise a channel, nothing that grants access: never the URL's path, a secret or a password. */
export class NotificationChannelSummaryDto {
  @ApiPropertyOptional({ example: 'hooks.slack.com', description: "The webhook URL's host" })
  host?: string;
  @ApiPropertyOptional({ type: [String], example: ['security@example.com'] }) to?: string[];
  @ApiPropertyOptional({ example: 'repoguard@example.com' }) from?: string;
  @ApiPropertyOptional({ example: 'smtp.example.com', description: "The channel's own SMTP server" })
  smtp_host?: string;
}

export class NotificationChannelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: NOTIFICATION_CHANNEL_KINDS }) kind!: NotificationChannelKind;
  @ApiProperty({ type: NotificationChannelSummaryDto }) summary!: NotificationChannelSummaryDto;
  @ApiProperty({ type: String, nullable: true, example: 'user:…' }) created_by!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class CreatedNotificationChannelDto extends NotificationChannelDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'whsec_…',
    description:
      'Generic webhooks: the Standard Webhooks signing secret, shown this once (null for other kinds)',
  })
  signing_secret!: string | null;
}

export class NotificationChannelsDto {
  @ApiProperty({ type: [NotificationChannelDto] }) items!: NotificationChannelDto[];
}

export class NotificationChannelTestDto {
  @ApiProperty({ description: 'The receiver accepted the message (2xx, or SMTP 250)' }) delivered!: boolean;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "The receiver's HTTP status or SMTP reply code",
  })
  status_code!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What went wrong; never the URL path or a secret',
  })
  error!: string | null;
}

export class NotificationChannelSigningSecretDto {
  @ApiProperty({ example: 'whsec_…', description: 'Shown this once; the previous secret stopped signing' })
  signing_secret!: string;
}
