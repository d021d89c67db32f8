import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { SBOM_FORMATS, VEX_FORMATS, type SbomFormat, type VexFormat } from '@repoguard/domain';

class ExportQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'A completed scan of this repository; default: the latest completed scan of its default branch',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  scan_id?: string;
}

export class SbomExportQuery extends ExportQuery {
  @ApiPropertyOptional({
    enum: SBOM_FORMATS,
    default: 'cyclonedx',
    description: 'CycloneDX 1.6 JSON or SPDX 2.3 JSON',
  })
  @IsOptional()
  @IsIn(SBOM_FORMATS, { message: `must be one of ${SBOM_FORMATS.join(', ')}` })
  format: SbomFormat = 'cyclonedx';
}

export class VexExportQuery extends ExportQuery {
  @ApiPropertyOptional({
    enum: VEX_FORMATS,
    default: 'cyclonedx',
    description: 'CycloneDX 1.6 VEX or OpenVEX 0.2.0',
  })
  @IsOptional()
  @IsIn(VEX_FORMATS, { message: `must be one of ${VEX_FORMATS.join(', ')}` })
  format: VexFormat = 'cyclonedx';
}
