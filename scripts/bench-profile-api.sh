#!/usr/bin/env bash
# Public profile API benchmark (docs/benchmarks.md): serve a data directory that holds an
# imported credit database, wait until the server is idle (no pending jobs), then hit
# GET /api/v1/credit/subjects/{code} for random enterprises with wrk and report the
# server's memory.
#
#   scripts/bench-profile-api.sh DATA_DIR [SECONDS] [CONNECTIONS]
#
# Needs: a release build (cargo build --release -p qingfeng, or another binary named in
# QINGFENG_BIN, to compare builds), wrk, sqlite3.
set -euo pipefail
dir=${1:?usage: bench-profile-api.sh DATA_DIR [SECONDS] [CONNECTIONS]}
secs=${2:-30}
conns=${3:-64}
here=$(cd "$(dirname "$0")/.." && pwd)
bin="${QINGFENG_BIN:-$here/target/release/qingfeng}"
port=8097
codes=$(mktemp)
trap 'rm -f "$codes"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT

sqlite3 "$dir/qingfeng.db" \
  "SELECT uscc FROM credit_subjects WHERE uscc IS NOT NULL AND kind <> 'natural' ORDER BY random() LIMIT 20000" >"$codes"
echo "codes: $(wc -l <"$codes") enterprises and individual businesses"

"$bin" --data-dir "$dir" serve --bind "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.5; done
# Let the scheduler finish what the import queued (the search index of the subjects).
while [ "$(sqlite3 "$dir/qingfeng.db" "SELECT COUNT(*) FROM jobs WHERE status = 'running' OR (status = 'queued' AND run_at <= CAST(strftime('%s','now') AS INTEGER) * 1000)")" != "0" ]; do sleep 2; done
echo "server idle; rss_mb=$(( $(ps -o rss= -p "$pid") / 1024 ))"

# Warm up, then measure.
CODES="$codes" wrk -t2 -c"$conns" -d5s -s "$here/scripts/wrk-profiles.lua" "http://127.0.0.1:$port" >/dev/null
CODES="$codes" wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/scripts/wrk-profiles.lua" "http://127.0.0.1:$port" | tail -1
echo "server rss_mb=$(( $(ps -o rss= -p "$pid") / 1024 )) peak_rss_mb=$(( $(grep VmHWM /proc/$pid/status | awk '{print $2}') / 1024 ))"
