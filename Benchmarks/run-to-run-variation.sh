#!/usr/bin/env bash
# How much each round-trip metric's p50 moves from one `podbench run all` to the next on this
# machine, and how much its calibrated overhead (the p50 over its host twin's, run --calibrate)
# moves: BATCHES batches (default 1) of RUNS consecutive runs (default 5), GAP seconds apart
# (default an hour), on the local runtime, release build, at each PLACEMENT given (default:
# cross-cpu and same-cpu, then free). Per metric and placement, (max / min - 1) over every run,
# of the absolute p50 and of the overhead side by side. The targets (docs/measurements.md,
# docs/regression-gate.md): the overhead of at least 90% of the metrics within 5% at a fixed
# placement, where the absolute p50s move 10-30% between batches. DB keeps the runs in a
# database of its own choosing (to add a batch later, or read them again).
#
#   BATCHES=2 Benchmarks/run-to-run-variation.sh [RUNS [PLACEMENT...]]        # as root
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh
parse_arguments 5 cross-cpu same-cpu free -- "$@"
runs=$count
batches=${BATCHES:-1}
scratch_directory
swift build -c release >/dev/null
db=${DB:-$work/variation.sqlite}
for batch in $(seq "$batches"); do
    [ "$batch" = 1 ] || sleep "${GAP:-3600}"
    for placement in "${placements[@]}"; do
        for _ in $(seq "$runs"); do
            .build/release/podbench run all --calibrate --placement "$placement" --db "$db" >/dev/null || true
        done
    done
done
sqlite3 -separator ' ' "$db" "
    SELECT COALESCE(m.placement, '-') || ' ' || s.scenario || ' ' || m.name || ' ' || COALESCE(m.source, '-'),
           MIN(m.p50), MAX(m.p50), COALESCE(MIN(1.0 * m.p50 / m.floorP50), 0), COALESCE(MAX(1.0 * m.p50 / m.floorP50), 0), COUNT(*), COUNT(m.floorP50)
    FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
    WHERE m.name LIKE '%round-trip%' AND m.count > 0
    GROUP BY m.placement, s.scenario, m.name, m.source ORDER BY m.placement, s.scenario, m.name" |
awk -v runs="$((runs * batches))" '
    BEGIN { printf "%-10s %-56s %21s %8s %17s %8s\n", "placement", "scenario metric", "p50 min - max", "moves", "overhead", "moves" }
    { placement = $1; key = $2 " " $3; lo = $(NF - 5); hi = $(NF - 4); olo = $(NF - 3); ohi = $(NF - 2); n = $(NF - 1); calibrated = $NF
      if (n < runs || lo <= 0) next
      v = hi / lo - 1; count[placement]++; if (v <= 0.10) within[placement]++
      line = sprintf("%-10s %-56s %8.2f - %8.2f us %7.1f%%", placement, key, lo / 1000, hi / 1000, v * 100)
      if (calibrated == n && olo > 0) {
          o = ohi / olo - 1; calibrated_count[placement]++; if (o <= 0.05) overhead_within[placement]++
          line = line sprintf("   x%.2f - x%.2f %7.1f%%", olo, ohi, o * 100)
      }
      print line }
    END { print ""
          for (p in count) printf "%s: %d round-trip metrics over %d runs: p50 within 10%% for %d; overhead within 5%% for %d of %d calibrated\n", p, count[p], runs, within[p], overhead_within[p], calibrated_count[p] }'
