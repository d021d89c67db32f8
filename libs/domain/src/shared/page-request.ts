/** A slice of a sorted list, as stores take it. */
export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

/** One slice and the size of the whole list. */
export interface CountedPage<T> {
  readonly items: T[];
  readonly total: number;
}
