import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { ROLES, type Role } from '@repoguard/domain';

export class CreateOrgBody {
  @ApiProperty({ example: 'Acme Corp', maxLength: 200 })
  @IsString({ message: 'must be a string' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  name!: string;

  @ApiProperty({ example: 'acme', description: 'lowercase letters, digits and inner hyphens' })
  @IsString({ message: 'must be a string' })
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, {
    message: 'must be 1-64 lowercase letters, digits or inner hyphens',
  })
  slug!: string;

  @ApiProperty({ example: 'alice@example.com' })
  @IsEmail({}, { message: 'must be an email address' })
  @Length(3, 320, { message: 'must be at most 320 characters' })
  owner_email!: string;
}

export class UpdateOrgBody {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  name?: string;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 1_000_000,
    description: 'null: the instance default',
  })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsInt({ message: 'must be a whole number or null' })
  @Min(1, { message: 'must be at least 1' })
  @Max(1_000_000, { message: 'must be at most 1000000' })
  rate_limit_per_minute?: number | null;
}

export class InviteBody {
  @ApiProperty({ example: 'bob@example.com' })
  @IsEmail({}, { message: 'must be an email address' })
  @Length(3, 320, { message: 'must be at most 320 characters' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` })
  role!: Role;
}

export class ChangeRoleBody {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` })
  role!: Role;
}
