import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Ecosystem } from '@repoguard/domain';

/** An accepted risk until its expiry (see RiskAcceptance); Migration20261211010000. */
@Entity({ tableName: 'risk_acceptances' })
export class RiskAcceptanceEntity {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid' })
  repoId!: string;

  @Property({ type: 'text' })
  vulnerabilityId!: string;

  @Property({ type: 'string', length: 32 })
  ecosystem!: Ecosystem;

  @Property({ type: 'text' })
  packageName!: string;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'text' })
  acceptedBy!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
