import { ApiProperty } from '@nestjs/swagger';

/** Never the secret nor its hash: the prefix tells tokens apart. */
export class PersonalTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'rg_pat_ab12' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_used_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revoked_at!: string | null;
}

export class CreatedPersonalTokenDto extends PersonalTokenDto {
  @ApiProperty({ example: 'rg_pat_…', description: 'The secret: shown this once' }) token!: string;
}

export class PersonalTokensDto {
  @ApiProperty({ type: [PersonalTokenDto] }) items!: PersonalTokenDto[];
}
