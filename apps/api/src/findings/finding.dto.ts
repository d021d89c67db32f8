import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  ValidateIf,
} from 'class-validator';
import { FINDING_STATUS_CHOICES, type FindingStatusChoice } from '@repoguard/application';
import {
  canonicalAdvisoryId,
  ECOSYSTEMS,
  FINDING_SORT_KEYS,
  SEVERITIES,
  ValidationError,
  VEX_JUSTIFICATIONS,
  VEX_RESPONSES,
  VEX_STATES,
  type FindingSort,
  type FindingSortKey,
  type VexDecisionInput,
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
  @ApiPropertyOptional({
    description:
      "The previous page's `next_cursor`, with the same `sort` and filters: the page after it, as fast at " +
      'the end of the list as at its start (`total` is then null). Not with `page`',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 2000, { message: 'must be 1 to 2000 characters' })
  cursor?: string;
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

/**
 * Either today's `status` (ignored with a reason, or open) or a VEX decision (`state` with its
 * `justification`, `response`, `detail`); which combinations a state takes is the domain's to say
 * (vexDecisionProblems), so a wrong one is a 400 naming the field whichever entry point asks.
 */
export class TriageBody {
  @ApiPropertyOptional({
    enum: ['ignored', 'open'],
    description:
      '`ignored` is the VEX state not_affected with `reason` as its detail; `open` clears the analysis. Not with `state`',
  })
  // Absent is allowed (a VEX state instead); null is not a decision.
  @ValidateIf((body: TriageBody) => body.status !== undefined)
  @IsIn(['ignored', 'open'], { message: 'must be ignored or open' })
  status?: 'ignored' | 'open';

  @ApiPropertyOptional({ description: 'Required when ignoring: why this finding does not matter' })
  @ValidateIf((body: TriageBody) => body.status === 'ignored' || body.reason !== undefined)
  @IsString({ message: 'must be a string (required when status is ignored)' })
  @Length(1, 1000, { message: 'must be 1 to 1000 characters' })
  reason?: string;

  @ApiPropertyOptional({
    enum: VEX_STATES,
    description:
      'A VEX decision instead of `status`: not_affected, false_positive and resolved leave the policy’s count (the finding lists as ignored); in_triage and exploitable keep it open',
  })
  @ValidateIf((body: TriageBody) => body.state !== undefined)
  @IsIn(VEX_STATES, { message: `must be one of ${VEX_STATES.join(', ')}` })
  state?: string;

  @ApiPropertyOptional({
    enum: VEX_JUSTIFICATIONS,
    description: 'Only with state not_affected, which needs a justification or a detail',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  justification?: string;

  @ApiPropertyOptional({
    enum: VEX_RESPONSES,
    isArray: true,
    description: 'Only with state exploitable: what is done about it',
  })
  @IsOptional()
  @IsArray({ message: 'must be an array' })
  @ArrayMaxSize(VEX_RESPONSES.length, { message: `must have at most ${VEX_RESPONSES.length} entries` })
  @IsString({ each: true, message: 'must be strings' })
  response?: string[];

  @ApiPropertyOptional({ description: 'With state: why (an impact statement), up to 1000 characters' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 1000, { message: 'must be 1 to 1000 characters' })
  detail?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'The decision lapses then: an ignored finding opens again, and its analysis no longer holds',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;
}

const notWith = (field: string, problem: string) =>
  new ValidationError(`Invalid request: check ${field}`, [{ field, problem }], 'REQUEST_INVALID');

/** The decision a PATCH body asks for, as the triage use case takes it: `status` or `state`, never both. */
export function triageDecisionOf(
  body: TriageBody,
): { status: 'ignored' | 'open'; reason?: string } | { vex: VexDecisionInput } {
  if (body.state !== undefined) {
    if (body.status !== undefined) throw notWith('state', 'give either status or state, not both');
    if (body.reason !== undefined) throw notWith('reason', 'with state, the reason is detail');
    return {
      vex: {
        state: body.state,
        justification: body.justification ?? null,
        responses: body.response ?? [],
        detail: body.detail ?? null,
      },
    };
  }
  if (body.status === undefined)
    throw notWith('status', 'give status (ignored or open) or state (a VEX state)');
  for (const field of ['justification', 'response', 'detail'] as const) {
    if (body[field] !== undefined) throw notWith(field, 'only with state, not with status');
  }
  return { status: body.status, ...(body.reason !== undefined ? { reason: body.reason } : {}) };
}
