import { ApiProperty } from '@nestjs/swagger';

export class GithubAccountDto {
  @ApiProperty() login!: string;
  @ApiProperty({ example: 'Organization' }) type!: string;
}

export class GithubInstallationDto {
  @ApiProperty({ example: '12345678' }) installation_id!: string;
  @ApiProperty({ type: GithubAccountDto }) account!: GithubAccountDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revoked_at!: string | null;
  @ApiProperty({ format: 'date-time' }) linked_at!: string;
}

export class GithubInstallationsDto {
  @ApiProperty({ type: [GithubInstallationDto] }) items!: GithubInstallationDto[];
}

export class GithubLinkRequestDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Install the app; GitHub then returns to the setup URL' }) install_url!: string;
  @ApiProperty({ description: 'Authorize the app when it is installed already' }) authorize_url!: string;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
}

export class GithubLinkedDto {
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty() github_login!: string;
  @ApiProperty({ type: GithubInstallationDto }) installation!: GithubInstallationDto;
}

export class GithubRepoDto {
  @ApiProperty() github_id!: string;
  @ApiProperty() full_name!: string;
  @ApiProperty() private!: boolean;
  @ApiProperty({ type: String, nullable: true }) default_branch!: string | null;
}

export class GithubReposDto {
  @ApiProperty({ type: [GithubRepoDto] }) items!: GithubRepoDto[];
  @ApiProperty({ type: String, nullable: true }) next_cursor!: string | null;
}
