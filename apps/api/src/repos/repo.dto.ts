import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { PageQuery } from '../common/pagination';

export const REPO_STATUSES = ['PENDING', 'OK', 'WARN', 'FAIL', 'ERROR'] as const;

export class ConnectRepoBody {
  @ApiProperty({ example: 'octo-org/payments', description: 'owner/name or a GitHub URL' })
  @IsString({ message: 'must be a string' })
  @Length(3, 300, { message: 'must be 3 to 300 characters' })
  repo!: string;

  @ApiPropertyOptional({
    description: 'A GitHub App installation linked to this org that grants the (private) repository',
  })
  @IsOptional()
  @IsInt({ message: 'must be a GitHub installation id (a whole number)' })
  @Min(1, { message: 'must be a GitHub installation id' })
  installation_id?: number;
}

export class RepoListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REPO_STATUSES })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsIn(REPO_STATUSES, { message: `must be one of ${REPO_STATUSES.join(', ')}` })
  status?: (typeof REPO_STATUSES)[number];
}

/** `?purge=true` deletes the repository's findings and scan history too. */
export class DisconnectQuery {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  purge?: boolean;
}
