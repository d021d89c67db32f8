import { ApiProperty } from '@nestjs/swagger';

/** Only the public half is ever answered. */
export class SshDeployKeyDto {
  @ApiProperty({ example: 'ssh-ed25519 AAAA… repoguard' }) public_key!: string;
  @ApiProperty({ example: 'SHA256:…' }) fingerprint!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}
