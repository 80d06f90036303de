#!/usr/bin/env bash
# The regression gate's power on this machine, calibrated (run --calibrate: the gate of two
# calibrated runs judges the pod's overhead over its host twin) against absolute (compare
# --absolute), both at the default tolerance (docs/regression-gate.md), on podman (release
# build; the probe image built unless loaded):
#
#   false alarms  a baseline, then RUNS (default 20) runs of the same podbench, the second half
#                 of them beside a disturbance podbench does not control: a nice-19 CPU hog on
#                 the last CPU. Each is compared with the baseline, the runs before it its
#                 history, as on a nightly job; a run is flagged when any metric regressed. The
#                 target: at most 1 in 20 for the calibrated gate.
#   detection     RUNS trials, each a run whose pods' own path is slower, which their host twin
#                 does not see: the broken-runc double's netfilter-slow (every packet on the
#                 pod's loopback walks RULES netfilter rules in INPUT and OUTPUT, default 50,
#                 none of which matches: about 20-30% of a round trip here), compared with the
#                 baseline in a copy of the database after the unchanged runs, so that each
#                 trial has the same history and none is another's. The target: at least 19 in
#                 20 flagged.
#
# Every run goes through one OCI runtime path, the double (with no rules for the unchanged
# runs), so that all share one fingerprint as a regression inside one runtime version would.
# SCENARIOS (default: the loopback round trips, which netfilter sees and the host runtime runs)
# are what each run runs.
#
#   Benchmarks/gate-power.sh [RUNS]        # as root
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh
parse_arguments 20 -- "$@"
runs=$count
scenarios=(${SCENARIOS:-localhost-tcp localhost-udp})
allowed_cpus
scratch_directory
swift build -c release >/dev/null
podbench=.build/release/podbench
# The probe image, unless this checkout's is loaded (CI's, or an earlier run's).
podman image exists "localhost/podbench-probe:$($podbench version | awk '{ print $2 }')" || $podbench image build >/dev/null
db="$work/gate.sqlite"
oci="$work/broken-runc-netfilter-slow"
ln -s "$PWD/Tests/Doubles/broken-runc" "$oci"

run() {  # DATABASE RULES
    echo "$2" > "$oci.rules"
    $podbench run "${scenarios[@]}" --runtime podman --oci-runtime "$oci" --calibrate --db "$1" >/dev/null || true
}
newest() { sqlite3 "$1" "SELECT MAX(id) FROM run"; }
flagged() {  # DATABASE BASE NEW [--absolute]: 1 when the gate finds a regression; each metric
    local status=0     # it flagged goes to $reasons, compare's line for it
    $podbench compare "$2" "$3" --fail-on-regression --db "$1" ${4:-} > "$work/compare" || status=$?
    grep ' regressed ' "$work/compare" | sed "s/^ */run $3${4:+ (absolute)}: /" >> "$reasons" || true
    [ "$status" = 1 ] && echo 1 || echo 0
}

run "$db" 0
base=$(newest "$db")
$podbench baseline set "$base" --db "$db" >/dev/null
false_calibrated=0 false_absolute=0 detected_calibrated=0 detected_absolute=0
reasons=$work/false-alarms
touch "$reasons"
for i in $(seq "$runs"); do
    hog=
    if [ "$i" -gt $((runs / 2)) ]; then
        taskset -c "${cpus[-1]}" nice -n 19 sh -c 'while :; do :; done' & hog=$!
    fi
    run "$db" 0
    [ -z "$hog" ] || kill "$hog"
    new=$(newest "$db") c=$(flagged "$db" "$base" "$new") a=$(flagged "$db" "$base" "$new" --absolute)
    false_calibrated=$((false_calibrated + c)) false_absolute=$((false_absolute + a))
    printf 'unchanged %2d%s  run %3d  calibrated %s  absolute %s\n' "$i" "${hog:+ (hog)}" "$new" "$c" "$a"
done
reasons=$work/detections
for i in $(seq "$runs"); do
    cp "$db" "$work/trial.sqlite"
    run "$work/trial.sqlite" "${RULES:-50}"
    new=$(newest "$work/trial.sqlite") c=$(flagged "$work/trial.sqlite" "$base" "$new") a=$(flagged "$work/trial.sqlite" "$base" "$new" --absolute)
    detected_calibrated=$((detected_calibrated + c)) detected_absolute=$((detected_absolute + a))
    sqlite3 "$work/trial.sqlite" "SELECT 1.0 * m.p50 / m.floorP50 FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
                                  WHERE s.runId = $new AND m.floorP50 > 0 AND m.name LIKE '%round-trip%'" >> "$work/slowed-overheads"
    printf 'slowed    %2d  trial run %3d  calibrated %s  absolute %s\n' "$i" "$new" "$c" "$a"
done
unchanged=$(sqlite3 "$db" "SELECT 1.0 * m.p50 / m.floorP50 FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
                           WHERE m.floorP50 > 0 AND m.name LIKE '%round-trip%'" | median)
echo
echo "round-trip p50 overhead, median: unchanged ×$unchanged, slowed ×$(median < "$work/slowed-overheads")"
echo "false alarms ($runs unchanged runs, half beside a CPU hog): calibrated $false_calibrated, absolute $false_absolute"
echo "  the calibrated gate's by what moved (metrics): overhead p50 $(grep -v absolute "$work/false-alarms" | grep -c 'overhead p50 [^;]*the intervals apart' || true), overhead p99 $(grep -v absolute "$work/false-alarms" | grep -c 'overhead p99 [^;]*the intervals apart' || true)"
echo "detection ($runs trials slowed by netfilter-slow, ${RULES:-50} rules a chain): calibrated $detected_calibrated, absolute $detected_absolute"
echo
echo "the false alarms (compare's line for each metric flagged):"
cat "$work/false-alarms"
