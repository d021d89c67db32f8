import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination';

export const REPO_STATUSES = ['PENDING', 'OK', 'WARN', 'FAIL', 'ERROR'] as const;

export class GitCredentialsBody {
  @ApiProperty({ example: 'repoguard-scanner', description: 'The login on the git server' })
  @IsString({ message: 'must be a string' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  username!: string;

  @ApiProperty({
    description: 'A password or access token; sealed at rest, never answered back',
    writeOnly: true,
  })
  @IsString({ message: 'must be a string' })
  @Length(1, 1000, { message: 'must be 1 to 1000 characters' })
  password!: string;
}

export class ConnectRepoBody {
  @ApiPropertyOptional({
    example: 'octo-org/payments',
    description: 'A GitHub repository: owner/name or its URL (required unless git_url is given)',
  })
  // Required unless the repository is given by git URL; null is checked too, never skipped.
  @ValidateIf((body: ConnectRepoBody) => body.git_url === undefined)
  @IsDefined({ message: 'is required (owner/name on GitHub), or give git_url' })
  @IsString({ message: 'must be a string' })
  @Length(3, 300, { message: 'must be 3 to 300 characters' })
  repo?: string;

  @ApiPropertyOptional({
    example: 'https://gitlab.example.com/platform/api.git',
    description:
      "Any git remote instead of a GitHub repository: https://, ssh:// (read with the org's ssh deploy key, POST /orgs/{org_id}/ssh-keys; the instance key only for the orgs in GIT_SSH_KEY_ORGS) or, when the instance allows it, file://. No credentials in the URL.",
  })
  @ValidateIf((body: ConnectRepoBody) => body.git_url !== undefined)
  @IsDefined({ message: 'must be a git URL' })
  @IsString({ message: 'must be a string' })
  @Length(8, 2000, { message: 'must be 8 to 2000 characters' })
  git_url?: string;

  @ApiPropertyOptional({
    type: GitCredentialsBody,
    description:
      'With git_url over https: the login the git server asks for (needs REPOGUARD_ENCRYPTION_KEY)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => GitCredentialsBody)
  git_credentials?: GitCredentialsBody;

  @ApiPropertyOptional({
    type: 'integer',
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
