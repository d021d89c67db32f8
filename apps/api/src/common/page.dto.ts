import { ApiProperty } from '@nestjs/swagger';

/** The page fields of every paged list; each list adds its `items`. */
export abstract class PageDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) page!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) per_page!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Items across every page' }) total!: number;
}
