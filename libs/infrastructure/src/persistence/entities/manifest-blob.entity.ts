import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** Manifest contents keyed by git blob SHA: a file unchanged across commits and repos is stored once. */
@Entity({ tableName: 'manifest_blobs' })
export class ManifestBlobEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'string', length: 64 })
  sha!: string;

  @Property({ type: 'integer' })
  size!: number;

  @Property({ type: 'blob', lazy: true })
  content!: Buffer;

  @Property({ type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
