import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications: events recorded with the change that causes them, an org's channels (their
 * secrets live in stored_secrets) and rules, mutes, and the delivery log.
 */
export class Migration20261209010000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "notification_events" (
      "id" uuid not null,
      "seq" bigserial not null,
      "org_id" uuid not null references "organizations" ("id") on delete cascade,
      "repo_id" uuid null references "repositories" ("id") on delete cascade,
      "repo_name" text null,
      "type" varchar(32) not null check ("type" in ('repo.status_changed', 'finding.new', 'finding.changed', 'finding.resolved', 'scan.failed', 'triage.expired')),
      "severity" varchar(16) null,
      "group_key" text not null,
      "scan_id" uuid null,
      "payload" jsonb not null,
      "occurred_at" timestamptz not null default now(),
      "dispatched_at" timestamptz null,
      constraint "notification_events_pkey" primary key ("id"));`);
    // The dispatcher reads what it has not handled yet, oldest first; digests read an org's period.
    this.addSql(`create index "notification_events_undispatched_index" on "notification_events" ("seq") where "dispatched_at" is null;`);
    this.addSql(`create index "notification_events_org_id_occurred_at_index" on "notification_events" ("org_id", "occurred_at");`);
    this.addSql(`create index "notification_events_group_key_index" on "notification_events" ("group_key");`);

    this.addSql(`create table "notification_channels" (
      "id" uuid not null,
      "org_id" uuid not null references "organizations" ("id") on delete cascade,
      "name" varchar(100) not null,
      "kind" varchar(16) not null check ("kind" in ('slack', 'teams', 'discord', 'webhook', 'email')),
      "summary" jsonb not null default '{}',
      "created_by" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "notification_channels_pkey" primary key ("id"),
      constraint "notification_channels_org_id_name_unique" unique ("org_id", "name"));`);

    this.addSql(`create table "notification_rules" (
      "id" uuid not null,
      "org_id" uuid not null references "organizations" ("id") on delete cascade,
      "name" varchar(100) not null,
      "channel_id" uuid not null references "notification_channels" ("id") on delete restrict,
      "events" jsonb not null,
      "min_severity" varchar(16) null,
      "repositories" jsonb not null default '{"kind":"all"}',
      "mode" varchar(16) not null default 'immediate' check ("mode" in ('immediate', 'digest')),
      "digest" jsonb null,
      "enabled" boolean not null default true,
      "digest_watermark" timestamptz null,
      "created_by" text null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "notification_rules_pkey" primary key ("id"),
      constraint "notification_rules_org_id_name_unique" unique ("org_id", "name"));`);
    this.addSql(`create index "notification_rules_channel_id_index" on "notification_rules" ("channel_id");`);

    this.addSql(`create table "notification_rule_mutes" (
      "rule_id" uuid not null references "notification_rules" ("id") on delete cascade,
      "repo_id" uuid not null references "repositories" ("id") on delete cascade,
      "until" timestamptz not null,
      "created_by" text null,
      "created_at" timestamptz not null default now(),
      constraint "notification_rule_mutes_pkey" primary key ("rule_id", "repo_id"));`);

    this.addSql(`create table "notification_deliveries" (
      "id" uuid not null,
      "org_id" uuid not null references "organizations" ("id") on delete cascade,
      "channel_id" uuid null references "notification_channels" ("id") on delete set null,
      "channel_kind" varchar(16) not null,
      "channel_name" varchar(100) not null,
      "rule_ids" jsonb not null default '[]',
      "kind" varchar(16) not null check ("kind" in ('immediate', 'digest', 'test')),
      "group_key" text not null,
      "event_ids" jsonb not null default '[]',
      "status" varchar(16) not null default 'pending' check ("status" in ('pending', 'sending', 'delivered', 'failed', 'skipped')),
      "attempts" int not null default 0,
      "last_error" text null,
      "last_status_code" int null,
      "next_attempt_at" timestamptz null,
      "workflow_started_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "delivered_at" timestamptz null,
      constraint "notification_deliveries_pkey" primary key ("id"),
      constraint "notification_deliveries_channel_id_group_key_unique" unique ("channel_id", "group_key"));`);
    this.addSql(`create index "notification_deliveries_org_id_created_at_index" on "notification_deliveries" ("org_id", "created_at" desc);`);
    // Deliveries whose workflow has not been started yet (Temporal was down): the dispatcher starts them.
    this.addSql(`create index "notification_deliveries_unstarted_index" on "notification_deliveries" ("created_at") where "workflow_started_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notification_deliveries" cascade;`);
    this.addSql(`drop table if exists "notification_rule_mutes" cascade;`);
    this.addSql(`drop table if exists "notification_rules" cascade;`);
    this.addSql(`drop table if exists "notification_channels" cascade;`);
    this.addSql(`drop table if exists "notification_events" cascade;`);
  }

}
