#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas up to date (idempotent).
set -eu
for db in temporal temporal_visibility; do
  kind=$([ "$db" = temporal ] && echo temporal || echo visibility)
  temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 --db "$db" create || true
  temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 --db "$db" setup-schema -v 0.0 || true
  temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 --db "$db" \
    update-schema -d "/etc/temporal/schema/postgresql/v12/$kind/versioned"
done
