import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { FINDING_STATUS_CHOICES, type FindingStatusChoice } from '@repoguard/application';
import {
  canonicalAdvisoryId,
  ECOSYSTEMS,
  FINDING_SORT_KEYS,
  SEVERITIES,
  type FindingSort,
  type FindingSortKey,
} from '@repoguard/domain';
import { PageQuery } from '../common/pagination';

const LOWER_SEVERITIES = SEVERITIES.map((s) => s.toLowerCase());

/** Each key's direction when none is given; `key:asc` or `key:desc` chooses. */
const DEFAULT_DIRECTION: Record<FindingSortKey, 'asc' | 'desc'> = {
  severity: 'desc',
  package: 'asc',
  first_seen: 'desc',
};
export const FINDING_SORTS = FINDING_SORT_KEYS.flatMap((key) => [key, `${key}:asc`, `${key}:desc`]);

/** `sort` as the read model takes it (validated first). */
export function findingSortOf(value: string): FindingSort {
  const [key, direction] = value.split(':') as [FindingSortKey, 'asc' | 'desc' | undefined];
  return { key, direction: direction ?? DEFAULT_DIRECTION[key] };
}

// Ecosystems are named as OSV spells them; any case is accepted and read as that spelling.
const canonicalEcosystem = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? (ECOSYSTEMS.find((e) => e.toLowerCase() === value.toLowerCase()) ?? value)
    : value;

export class FindingListQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: LOWER_SEVERITIES,
    description: 'This severity and above (high = HIGH and CRITICAL); `unknown` means exactly UNKNOWN',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(LOWER_SEVERITIES, { message: `must be one of ${LOWER_SEVERITIES.join(', ')}` })
  severity?: string;

  @ApiPropertyOptional({
    enum: FINDING_STATUS_CHOICES,
    default: 'open',
    description:
      '`all` for every status. As the finding is now: an ignore past its expiry is open; withdrawn: its advisory was withdrawn',
  })
  @IsOptional()
  @IsIn(FINDING_STATUS_CHOICES, { message: `must be one of ${FINDING_STATUS_CHOICES.join(', ')}` })
  status?: FindingStatusChoice;

  @ApiPropertyOptional({ enum: ECOSYSTEMS, description: 'Any case (pypi = PyPI)' })
  @IsOptional()
  @Transform(canonicalEcosystem)
  @IsIn(ECOSYSTEMS, { message: `must be one of ${ECOSYSTEMS.join(', ')}` })
  ecosystem?: string;

  @ApiPropertyOptional({ description: 'Package name, any case' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 300, { message: 'must be 1 to 300 characters' })
  package?: string;

  @ApiPropertyOptional({
    enum: FINDING_SORTS,
    default: 'severity',
    description:
      '`severity`: most severe first, newest first within a severity (`severity:asc` reverses both); ' +
      '`package`: by package name A to Z (`package:desc` Z to A), most severe first within a package; ' +
      '`first_seen`: newest first (`first_seen:asc` oldest first)',
  })
  @IsOptional()
  @IsIn(FINDING_SORTS, { message: `must be one of ${FINDING_SORTS.join(', ')}` })
  sort?: string;
}

export class OrgFindingSearchQuery extends FindingListQuery {
  @ApiPropertyOptional({
    example: 'CVE-2021-44228',
    description:
      "An advisory id: the finding's own (GHSA-…) or one of its aliases (CVE-…, PYSEC-…); CVE and GHSA ids in any case",
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? canonicalAdvisoryId(value) : value))
  @IsString({ message: 'must be a string' })
  @Length(1, 128, { message: 'must be 1 to 128 characters' })
  advisory?: string;
}

export class TriageBody {
  @ApiProperty({ enum: ['ignored', 'open'] })
  @IsIn(['ignored', 'open'], { message: 'must be ignored or open' })
  status!: 'ignored' | 'open';

  @ApiPropertyOptional({ description: 'Required when ignoring: why this finding does not matter' })
  @ValidateIf((body: TriageBody) => body.status === 'ignored' || body.reason !== undefined)
  @IsString({ message: 'must be a string (required when status is ignored)' })
  @Length(1, 1000, { message: 'must be 1 to 1000 characters' })
  reason?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The ignore decision lapses then' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;
}
