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
  read_as!: string[];
}
