import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122042050 } from './Migration20261122042050';
import { Migration20261122051717 } from './Migration20261122051717';
import { Migration20261122054938 } from './Migration20261122054938';
import { Migration20261130135012 } from './Migration20261130135012';
import { Migration20261130142416 } from './Migration20261130142416';
import { Migration20261130142738 } from './Migration20261130142738';
import { Migration20261130143627 } from './Migration20261130143627';
import { Migration20261130144908 } from './Migration20261130144908';
import { Migration20261130145747 } from './Migration20261130145747';
import { Migration20261130151441 } from './Migration20261130151441';
import { Migration20261130151919 } from './Migration20261130151919';
import { Migration20261130161046 } from './Migration20261130161046';
import { Migration20261130165218 } from './Migration20261130165218';
import { Migration20261204100000 } from './Migration20261204100000';
import { Migration20261204120000 } from './Migration20261204120000';
import { Migration20261205010000 } from './Migration20261205010000';
import { Migration20261205020000 } from './Migration20261205020000';
import { Migration20261205040000 } from './Migration20261205040000';
import { Migration20261205050000 } from './Migration20261205050000';
import { Migration20261206030000 } from './Migration20261206030000';

// Listed explicitly, in order, so compiled builds and tests apply the same set.
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122042050', class: Migration20261122042050 },
  { name: 'Migration20261122051717', class: Migration20261122051717 },
  { name: 'Migration20261122054938', class: Migration20261122054938 },
  { name: 'Migration20261130135012', class: Migration20261130135012 },
  { name: 'Migration20261130142416', class: Migration20261130142416 },
  { name: 'Migration20261130142738', class: Migration20261130142738 },
  { name: 'Migration20261130143627', class: Migration20261130143627 },
  { name: 'Migration20261130144908', class: Migration20261130144908 },
  { name: 'Migration20261130145747', class: Migration20261130145747 },
  { name: 'Migration20261130151441', class: Migration20261130151441 },
  { name: 'Migration20261130151919', class: Migration20261130151919 },
  { name: 'Migration20261130161046', class: Migration20261130161046 },
  { name: 'Migration20261130165218', class: Migration20261130165218 },
  { name: 'Migration20261204100000', class: Migration20261204100000 },
  { name: 'Migration20261204120000', class: Migration20261204120000 },
  { name: 'Migration20261205010000', class: Migration20261205010000 },
  { name: 'Migration20261205020000', class: Migration20261205020000 },
  { name: 'Migration20261205040000', class: Migration20261205040000 },
  { name: 'Migration20261205050000', class: Migration20261205050000 },
  { name: 'Migration20261206030000', class: Migration20261206030000 },
];
