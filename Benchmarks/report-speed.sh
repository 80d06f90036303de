#!/usr/bin/env bash
# How fast reports are made from a big database: RUNS synthetic runs of every scenario (default
# 1000), written through the store's own API by podbench-synthetic-db (not hand-written SQL),
# the first made the baseline, then the median wall time of `podbench report --html` and `podbench history` over REPEAT
# calls each (default 11). Targets: report --html under 1 s, history under 200 ms. Also prints
# the database size per run, synthetic and real (three real `podbench run all`; needs root).
#
#   Benchmarks/report-speed.sh [RUNS] [REPEAT]
#
# SCRATCH names the build directory (swift build --scratch-path; default .build), so that the
# benchmark can build apart from another build going on in .build.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000}
repeat=${2:-11}
scratch=${SCRATCH:-.build}
work=$(mktemp -d /tmp/podbench-report-speed-XXXXXX)
trap 'rm -rf "$work"' EXIT

swift build -c release --scratch-path "$scratch" >/dev/null
podbench="$scratch/release/podbench"
db="$work/big.sqlite"
echo "writing $runs synthetic runs of every scenario, the first the baseline..."
start=$(date +%s)
"$scratch/release/podbench-synthetic-db" "$db" "$runs" Scenarios >/dev/null
echo "  took $(( $(date +%s) - start )) s"
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null

median_ms() { # command... -> median wall milliseconds over $repeat calls, after one warm-up
    "$@" >/dev/null 2>&1
    for _ in $(seq "$repeat"); do
        local t0 t1
        t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 ))
    done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

html=$(median_ms "$podbench" report --db "$db" --html "$work/report.html")
history=$(median_ms "$podbench" history --db "$db")
size=$(stat -c %s "$db")
echo "report --html: ${html} ms (target < 1000)"
echo "history:       ${history} ms (target < 200)"
echo "database:      $(( size / 1048576 )) MiB, $(( size / runs / 1024 )) KiB a synthetic run"

if [ "$(id -u)" -eq 0 ]; then
    real="$work/real.sqlite"
    "$podbench" run all --db "$real" >/dev/null || true
    sqlite3 "$real" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
    one=$(stat -c %s "$real")
    for _ in 1 2 3; do "$podbench" run all --db "$real" >/dev/null || true; done
    sqlite3 "$real" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
    echo "real run:      $(( ($(stat -c %s "$real") - one) / 3 / 1024 )) KiB a run of every scenario"
fi
