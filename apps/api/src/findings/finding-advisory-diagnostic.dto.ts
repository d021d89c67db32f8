import { ApiProperty } from '@nestjs/swagger';
import { ADVISORY_DIAGNOSTIC_RULES } from '@repoguard/domain';

/** One event of a finding's advisory that RepoGuard could not read as written (response only). */
export class FindingAdvisoryDiagnosticDto {
  @ApiProperty({ example: 'GHSA-r683-j2x4-v87g', description: 'The advisory record it is in' })
  advisory_id!: string;

  @ApiProperty({ enum: ['UNPARSABLE_RANGE_EVENT', 'MALFORMED_RANGE'] })
  code!: string;

  @ApiProperty({ example: 'ECOSYSTEM', description: 'The range type (ECOSYSTEM or SEMVER)' })
  range_type!: string;

  @ApiProperty({ enum: ['introduced', 'fixed', 'last_affected', 'limit', 'events'] })
  event!: string;

  @ApiProperty({ example: '1.0', description: 'The value as the advisory wrote it (at most 200 characters)' })
  value!: string;

  @ApiProperty({
    enum: ADVISORY_DIAGNOSTIC_RULES,
    description:
      'What matching did instead: COERCED (a loosely spelled release, 1.0 → 1.0.0), INTRODUCED_AS_ZERO ' +
      '(the range starts at the bottom), FIXED_PER_RELEASE_LINE ("7.2.4, 6.11.4": one fix per line), ' +
      'LIST_HIGHEST_FIX, RANGE_LEFT_OPEN (the span stays affected, no fix suggested), LIMIT_IGNORED, ' +
      'EVENT_SKIPPED, RANGE_SKIPPED',
  })
  rule!: string;

  @ApiProperty({ type: [String], example: ['introduced 1.0.0'], description: 'The events used instead' })
  read_as!: readonly string[];
}

/**
 * What matching worked around in a finding's advisories (response only): counted in full, shown
 * for the first few. Its size is bounded whatever the advisory holds.
 */
export class FindingAdvisoryDiagnosticsDto {
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'Events not readable as written, across the advisories of the finding',
  })
  total!: number;

  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'How many of the finding’s advisories hold at least one',
  })
  advisories!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { COERCED: 1 },
    description: 'How many events each rule was applied to (rules as in `sample[].rule`)',
  })
  by_rule!: Record<string, number>;

  @ApiProperty({
    type: [FindingAdvisoryDiagnosticDto],
    description: 'The first 20 in advisory order; ids, values and events cut at 200 characters',
  })
  sample!: FindingAdvisoryDiagnosticDto[];

  @ApiProperty({ example: false, description: 'True when `total` is more than `sample` shows' })
  truncated!: boolean;
}
