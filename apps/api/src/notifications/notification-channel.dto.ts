import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOTIFICATION_CHANNEL_KINDS } from '@repoguard/domain';
import { IsDefined, IsOptional } from 'class-validator';

// The fields are checked by the domain's parser (one 400 naming every bad field, whichever entry
// point sends them); here they are only declared, so unknown fields are refused by name.

export class SmtpServerBody {
  @ApiProperty({ example: 'smtp.example.com' }) host!: string;
  @ApiProperty({ type: 'integer', example: 587 }) port!: number;
  @ApiProperty({ description: 'true: TLS from the start (465); false: STARTTLS when offered' })
  secure!: boolean;
  @ApiPropertyOptional() user?: string;
  @ApiPropertyOptional({ writeOnly: true, description: 'Sealed at rest, never answered' }) password?: string;
}

export class CreateNotificationChannelBody {
  @ApiProperty({ example: 'Security alerts', description: '1 to 100 characters, unique in the org' })
  @IsDefined({ message: 'is required' })
  name!: unknown;

  @ApiProperty({ enum: NOTIFICATION_CHANNEL_KINDS })
  @IsDefined({ message: `is required: one of ${NOTIFICATION_CHANNEL_KINDS.join(', ')}` })
  kind!: unknown;

  @ApiPropertyOptional({
    type: String,
    writeOnly: true,
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    description:
      'slack, teams, discord, webhook: the webhook URL (https; at most 2,048 characters; public hosts only unless NOTIFY_ALLOWED_HOSTS opens them). Sealed, never answered',
  })
  @IsOptional()
  url?: unknown;

  @ApiPropertyOptional({ type: [String], description: 'email: 1 to 20 recipients' })
  @IsOptional()
  to?: unknown;

  @ApiPropertyOptional({ type: String, description: 'email: the sender (default SMTP_FROM)' })
  @IsOptional()
  from?: unknown;

  @ApiPropertyOptional({
    type: SmtpServerBody,
    description: "email: the channel's own SMTP server (default: the operator's SMTP_URL)",
  })
  @IsOptional()
  smtp?: unknown;
}

export class UpdateNotificationChannelBody {
  @ApiPropertyOptional({ type: String }) @IsOptional() name?: unknown;
  @ApiPropertyOptional({
    enum: NOTIFICATION_CHANNEL_KINDS,
    description: 'Cannot change; accepted when equal',
  })
  @IsOptional()
  kind?: unknown;
  @ApiPropertyOptional({ type: String, writeOnly: true }) @IsOptional() url?: unknown;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() to?: unknown;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null: back to SMTP_FROM' })
  @IsOptional()
  from?: unknown;
  @ApiPropertyOptional({ type: SmtpServerBody, nullable: true, description: "null: the operator's SMTP_URL" })
  @IsOptional()
  smtp?: unknown;
}
