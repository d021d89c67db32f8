import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PER_PAGE = 100;

export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(100_000, { message: 'must be at most 100000' })
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_PER_PAGE, { message: `must be at most ${MAX_PER_PAGE}` })
  per_page: number = 30;
}

export interface Page<T> {
  readonly items: T[];
  readonly page: number;
  readonly per_page: number;
  readonly total: number;
}

export function pageOf<T>(items: T[], query: PageQuery, total: number): Page<T> {
  return { items, page: query.page, per_page: query.per_page, total };
}

export const offsetOf = (query: PageQuery): number => (query.page - 1) * query.per_page;
