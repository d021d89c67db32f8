import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length } from 'class-validator';

export class CreatePersonalTokenBody {
  @ApiProperty({ example: 'laptop', maxLength: 100 })
  @IsString({ message: 'must be a string' })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Omitted: the token never expires' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;
}
