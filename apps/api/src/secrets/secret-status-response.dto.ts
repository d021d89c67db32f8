import { ApiProperty } from '@nestjs/swagger';

/** Whether a secret is set: never the secret itself. */
export class SecretStatusDto {
  @ApiProperty() configured!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated_at!: string | null;
}

export class WebhookSecretStatusDto extends SecretStatusDto {
  @ApiProperty({ example: '/api/v1/webhooks/github/orgs/{org_id}' }) webhook_path!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null unless PUBLIC_BASE_URL is set' })
  webhook_url!: string | null;
  @ApiProperty({ enum: ['application/json'], description: "GitHub's content type setting" })
  content_type!: string;
}

export class IssuedWebhookSecretDto extends WebhookSecretStatusDto {
  @ApiProperty({ description: 'Shown this once' }) secret!: string;
  @ApiProperty({ description: 'A previous secret was replaced (it stopped working at once)' })
  rotated!: boolean;
}
