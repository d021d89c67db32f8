import { ApiProperty } from '@nestjs/swagger';

export class UnmatchedVexStatementDto {
  @ApiProperty({ example: 'vulnerabilities[3]', description: 'Where the statement is in the document' })
  at!: string;
  @ApiProperty({ example: 'CVE-2021-23337' }) vulnerability!: string;
  @ApiProperty({
    enum: ['no_analysis', 'no_finding'],
    description:
      'no_analysis: a CycloneDX vulnerability without an analysis; no_finding: no current finding of the repository is about it',
  })
  reason!: string;
}

export class VexImportDto {
  @ApiProperty({ enum: ['cyclonedx', 'openvex'] }) format!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The CycloneDX serialNumber/version or the OpenVEX @id, as the audit log names it',
  })
  document_id!: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'Findings whose triage decision the document changed (audited one by one)',
  })
  applied!: number;
  @ApiProperty({ type: 'integer', description: 'Findings that already had the analysis the document gives' })
  unchanged!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Statements that matched no current finding, or had no analysis',
  })
  unmatched!: number;
  @ApiProperty({ type: [UnmatchedVexStatementDto], description: 'The first 100 unmatched statements' })
  unmatched_statements!: UnmatchedVexStatementDto[];
}
