import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@repoguard/domain';

export class IdentityUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

export class IdentityApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

export class IdentityOrgDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

/** The token the request came with; never its secret. */
export class IdentityTokenDto {
  @ApiProperty({ enum: ['personal', 'api_key', 'admin'] }) type!: 'personal' | 'api_key' | 'admin';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) id!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'rg_pat_AbCd' }) prefix!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at!: string | null;
}

export class CurrentIdentityDto {
  @ApiProperty({ enum: ['user', 'api_key', 'instance_admin'] }) kind!: 'user' | 'api_key' | 'instance_admin';
  @ApiProperty({ type: IdentityUserDto, nullable: true }) user!: IdentityUserDto | null;
  @ApiProperty({ type: IdentityApiKeyDto, nullable: true }) api_key!: IdentityApiKeyDto | null;
  @ApiProperty({ type: [IdentityOrgDto] }) orgs!: IdentityOrgDto[];
  @ApiProperty({ type: IdentityTokenDto }) token!: IdentityTokenDto;
}
