import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ROLES, type Role } from '@repoguard/domain';

export class CreateApiKeyBody {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  org_id!: string;

  @ApiProperty({ example: 'ci', maxLength: 100 })
  @IsString({ message: 'must be a string' })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;
}

export class ApiKeyListQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "Required with a personal token; an API key lists its own org's keys",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  org_id?: string;
}
