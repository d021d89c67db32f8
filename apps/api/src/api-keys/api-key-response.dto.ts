import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@repoguard/domain';

/** Never the secret nor its hash: the prefix tells keys apart. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ example: 'rg_key_ab12' }) prefix!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revoked_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ example: 'rg_key_…', description: 'The secret: shown this once' }) key!: string;
}

export class ApiKeysDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
}
