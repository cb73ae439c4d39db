#!/usr/bin/env bash
# What the database alone can do on this machine (docs/benchmarks.md, "What limits it"):
# insert ready credit-record rows into the product's own schema with no Qingfeng code
# in the loop — no reading, no validation, no driver. These are upper bounds for any
# import of the same rows; the import benchmark's ceiling is the fastest path *through
# the product's driver*, which is slower than these.
#
#   scripts/bench-raw-bounds.sh SOURCE_DB [RECORDS] [POSTGRES_URL]
#
# SOURCE_DB    a qingfeng.db that holds at least 100,000 imported credit records
#              (e.g. `qingfeng credit generate` + `qingfeng credit import`).
# RECORDS      how many rows to insert (default 1,000,000; 13,000,000 for the issue's goal).
# POSTGRES_URL a *scratch* PostgreSQL database: the script migrates it and creates the
#              schema raw_bounds in it, then drops that schema again.
#
# SQLite: a database migrated by this build (the product's indexes), the import's pragmas
# (WAL, synchronous NORMAL, 512 MiB cache or RAW_CACHE_MIB as `credit import --cache-mib`,
# checkpoint at half the cache), 100,000 ready
# rows held in memory and inserted RECORDS/100,000 times in 100,000-row transactions by
# SQLite's own `INSERT … SELECT` loop (natural keys shifted per round, so the unique index
# grows as in a real import). RAW_PAYLOAD=empty stores the rows without their content.
# PostgreSQL: `\copy` of min(RECORDS, 1,000,000) such rows as CSV by psql into a copy of
# the product's table (indexes included) — the server's share of COPY alone.
#
# Needs: a release build (or QINGFENG_BIN), sqlite3, and psql for PostgreSQL.
set -euo pipefail
src=${1:?usage: bench-raw-bounds.sh SOURCE_DB [RECORDS] [POSTGRES_URL]}
records=${2:-1000000}
pg_url=${3:-}
here=$(cd "$(dirname "$0")/.." && pwd)
bin="${QINGFENG_BIN:-$here/target/release/qingfeng}"
cache_mib=${RAW_CACHE_MIB:-512}
round=100000
rounds=$(( (records + round - 1) / round ))
have=$(sqlite3 "$src" "SELECT COUNT(*) FROM (SELECT 1 FROM credit_records LIMIT $round)")
[ "$have" -eq "$round" ] || { echo "$src holds $have credit records; $round are needed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" --data-dir "$work/sqlite" migrate >/dev/null
dest="$work/sqlite/qingfeng.db"
cols=$(sqlite3 "$dest" "SELECT group_concat(name, ',') FROM pragma_table_info('credit_records') WHERE name <> 'id'")
shifted() { # the column list with natural_key moved by round $1 and, if asked, no content
  local c=${cols/natural_key/natural_key + $1 * 7919}
  [ "${RAW_PAYLOAD:-}" = empty ] && c=${c/payload/\'\'}
  echo "$c"
}

{
  echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-$((cache_mib * 1024));"
  echo "PRAGMA wal_autocheckpoint=$((cache_mib * 128)); PRAGMA temp_store=MEMORY;"
  echo "ATTACH '$src' AS src;"
  echo "CREATE TEMP TABLE ready AS SELECT $cols FROM src.credit_records ORDER BY id LIMIT $round;"
  echo "DETACH src;"
  echo ".timer on"
  for i in $(seq 0 $((rounds - 1))); do
    echo "BEGIN; INSERT INTO main.credit_records ($cols) SELECT $(shifted "$i") FROM temp.ready; COMMIT;"
  done
} >"$work/run.sql"
sqlite3 "$dest" <"$work/run.sql" | grep '^Run Time' | awk -v n="$records" -v r="$round" '
  { real += $4; user += $6; sys += $8; if (NR <= 10) first += $4; last[NR % 10] = $4 }
  END {
    k = NR < 10 ? NR : 10  # the first and the last million (or fewer rounds)
    for (j in last) tail += last[j]
    printf "{\"backend\":\"sqlite\",\"records\":%d,\"seconds\":%.1f,\"records_per_s\":%.0f,", n, real, n / real
    printf "\"cpu_user_s\":%.1f,\"cpu_sys_s\":%.1f,", user, sys
    printf "\"first_1m_records_per_s\":%.0f,\"last_1m_records_per_s\":%.0f}\n", k * r / first, k * r / tail
  }'
echo "sqlite database: $(du -m "$dest" | cut -f1) MB, $(sqlite3 "$dest" 'SELECT COUNT(*) FROM credit_records') rows"

if [ -n "$pg_url" ]; then
  pg_records=$(( records < 1000000 ? records : 1000000 ))
  QINGFENG_DATABASE_URL="$pg_url" "$bin" --data-dir "$work/pg" migrate >/dev/null
  psql -q -v ON_ERROR_STOP=1 "$pg_url" -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS raw_bounds CASCADE" \
    -c "CREATE SCHEMA raw_bounds" -c "CREATE TABLE raw_bounds.credit_records (LIKE public.credit_records INCLUDING ALL)"
  # CSV in the table's column order; booleans as t/f.
  pg_cols=$(psql -Atq "$pg_url" -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'raw_bounds' AND table_name = 'credit_records' AND column_name <> 'id'")
  for i in $(seq 0 $(( (pg_records + round - 1) / round - 1 ))); do
    left=$(( pg_records - i * round )); take=$(( left < round ? left : round ))
    c=$(shifted "$i")
    c=${c/published/CASE WHEN published THEN \'t\' ELSE \'f\' END}
    c=${c/timely/CASE WHEN timely THEN \'t\' ELSE \'f\' END}
    sqlite3 -csv "$src" "SELECT $c FROM credit_records ORDER BY id LIMIT $take"
  done >"$work/rows.csv"
  [ "$pg_cols" = "$cols" ] || { echo "column order differs between backends: $pg_cols" >&2; exit 1; }
  start=$(date +%s.%N)
  psql -q -v ON_ERROR_STOP=1 "$pg_url" -c "\\copy raw_bounds.credit_records ($cols) FROM '$work/rows.csv' CSV"
  end=$(date +%s.%N)
  awk -v n="$pg_records" -v s="$start" -v e="$end" \
    'BEGIN { printf "{\"backend\":\"postgres\",\"records\":%d,\"seconds\":%.1f,\"records_per_s\":%.0f}\n", n, e - s, n / (e - s) }'
  psql -q "$pg_url" -c "SET client_min_messages = warning" -c "DROP SCHEMA raw_bounds CASCADE"
fi
