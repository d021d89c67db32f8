import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { ScanRequestedDto } from '../scans/scan-response.dto';

export class ImportSbomQuery {
  @ApiPropertyOptional({
    example: 'payments-api-image',
    description:
      "The project's name; default: what the SBOM describes, `name@version` (CycloneDX metadata.component, " +
      'SPDX described package or document name). Uploads of one name are snapshots of one project',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name?: string;
}

/** The upload, its project, and the scan of it (as `POST /repos/{repo_id}/scan` answers). */
export class SbomImportedDto extends ScanRequestedDto {
  @ApiProperty({ format: 'uuid', description: 'The project (a repository of provider sbom)' })
  repo_id!: string;
  @ApiProperty({ description: 'True when this upload created the project' }) project_created!: boolean;
  @ApiProperty({ format: 'uuid' }) upload_id!: string;
  @ApiProperty({ description: "SHA-256 of the document's bytes: the snapshot's commit" }) sha256!: string;
  @ApiProperty({ enum: ['cyclonedx-json', 'cyclonedx-xml', 'spdx-json'] }) format!: string;
  @ApiProperty({ example: '1.6' }) spec_version!: string;
  @ApiProperty({ type: 'integer', description: 'Components (packages) the document lists' })
  components!: number;
}
