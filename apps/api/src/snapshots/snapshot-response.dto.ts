import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageDto } from '../common/page.dto';

export class ManifestDiagnosticDto {
  @ApiProperty({ enum: ['info', 'warning', 'error'] }) severity!: string;
  @ApiProperty({ example: 'UNPINNED' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: 'integer' }) line?: number;
}

export class SnapshotManifestDto {
  @ApiProperty({ example: 'package-lock.json' }) path!: string;
  @ApiProperty({ example: 'npm-package-lock' }) parser!: string;
  @ApiProperty() blob_sha!: string;
  @ApiProperty({ type: [ManifestDiagnosticDto] }) diagnostics!: readonly ManifestDiagnosticDto[];
}

export class SnapshotDependencyDto {
  @ApiProperty({ example: 'npm' }) ecosystem!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null: not pinned' }) version!: string | null;
  @ApiProperty({ type: String, nullable: true }) specifier!: string | null;
  @ApiProperty({ enum: ['runtime', 'dev', 'optional'] }) scope!: string;
  @ApiProperty() direct!: boolean;
  @ApiProperty() manifest_path!: string;
  @ApiProperty({ type: 'integer', nullable: true }) line!: number | null;
  @ApiProperty() purl!: string;
}

export class SnapshotDependencyPageDto extends PageDto {
  @ApiProperty({ type: [SnapshotDependencyDto] }) items!: SnapshotDependencyDto[];
}

export class SnapshotDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty() commit_sha!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: [SnapshotManifestDto] }) manifests!: SnapshotManifestDto[];
  @ApiProperty({ type: SnapshotDependencyPageDto }) dependencies!: SnapshotDependencyPageDto;
}
