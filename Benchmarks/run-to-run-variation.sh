#!/usr/bin/env bash
# How much each round-trip metric's p50 moves from one `podbench run all` to the next on this
# machine: RUNS consecutive runs (default 5) on the local runtime, release build, at each
# PLACEMENT given (default: cross-cpu and same-cpu, then free), and per metric and placement
# (max p50 / min p50 - 1) over them. The target (docs/measurements.md) is at most 10% at a
# fixed placement; free shows what an unpinned run gives.
#
#   Benchmarks/run-to-run-variation.sh [RUNS [PLACEMENT...]]        # as root
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh
parse_arguments 5 cross-cpu same-cpu free -- "$@"
runs=$count
scratch_directory
swift build -c release >/dev/null
db="$work/variation.sqlite"
for placement in "${placements[@]}"; do
    for _ in $(seq "$runs"); do
        .build/release/podbench run all --placement "$placement" --db "$db" >/dev/null || true
    done
done
sqlite3 -separator ' ' "$db" "
    SELECT COALESCE(m.placement, '-') || ' ' || s.scenario || ' ' || m.name || ' ' || COALESCE(m.source, '-'), MIN(m.p50), MAX(m.p50), COUNT(*)
    FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
    WHERE m.name LIKE '%round-trip%' AND m.count > 0
    GROUP BY m.placement, s.scenario, m.name, m.source ORDER BY m.placement, s.scenario, m.name" |
awk -v runs="$runs" '
    { placement = $1; key = $2 " " $3; lo = $(NF - 2); hi = $(NF - 1); n = $NF
      if (n < runs || lo <= 0) next
      v = hi / lo - 1; printf "%-10s %-56s %9.2f us %9.2f us %7.1f%%\n", placement, key, lo / 1000, hi / 1000, v * 100
      count[placement]++; if (v <= 0.10) within[placement]++; if (v > worst[placement]) worst[placement] = v }
    END { print ""; for (p in count) printf "%s: %d round-trip metrics over %d runs, %d within 10%%, the worst %.1f%%\n", p, count[p], runs, within[p], worst[p] * 100 }'
