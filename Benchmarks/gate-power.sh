#!/usr/bin/env bash
# The regression gate's power on this machine, calibrated (run --calibrate, the default gate of
# two calibrated runs) against absolute (compare --absolute), both at the default tolerance
# (docs/regression-gate.md), on podman (release build, the probe image built first):
#
#   false alarms  a baseline, then RUNS (default 20) runs of the same podbench, the second half
#                 of them beside a disturbance podbench does not control: a nice-19 CPU hog on
#                 the last CPU. Each is compared with the baseline; a run is flagged when any
#                 metric regressed. The target: at most 1 in 20 for the calibrated gate.
#   detection     RUNS runs whose pods' own path is slower, which their host twin does not
#                 see: the broken-runc double's seccomp-slow (every call of the channels' timed
#                 loops walks SLOW_RULES seccomp rules, default 200, none of which matches),
#                 each compared with the same baseline. The target: at least 19 in 20 flagged.
#
# SCENARIOS (default: a round trip over each kind of channel) are what each run runs.
#
#   Benchmarks/gate-power.sh [RUNS]        # as root
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh
parse_arguments 20 -- "$@"
runs=$count
scenarios=(${SCENARIOS:-localhost-tcp localhost-udp abstract-socket ipc-sysv-msg ipc-posix-mq volume-unix-socket})
allowed_cpus
scratch_directory
swift build -c release >/dev/null
podbench=.build/release/podbench
$podbench image build >/dev/null
db="$work/gate.sqlite"
ln -s "$PWD/Tests/Doubles/broken-runc" "$work/broken-runc-seccomp-slow"
echo "${SLOW_RULES:-200}" > "$work/broken-runc-seccomp-slow.rules"

run() { $podbench run "${scenarios[@]}" --runtime podman --calibrate --db "$db" "$@" >/dev/null || true; }
newest() { sqlite3 "$db" "SELECT MAX(id) FROM run"; }
flagged() {  # BASE NEW [--absolute]: 1 when the gate finds a regression
    local status=0
    $podbench compare "$1" "$2" --fail-on-regression --db "$db" ${3:-} >/dev/null || status=$?
    [ "$status" = 1 ] && echo 1 || echo 0
}

run
base=$(newest)
$podbench baseline set "$base" --db "$db" >/dev/null
false_calibrated=0 false_absolute=0 detected_calibrated=0 detected_absolute=0
for i in $(seq "$runs"); do
    hog=
    if [ "$i" -gt $((runs / 2)) ]; then
        taskset -c "${cpus[-1]}" nice -n 19 sh -c 'while :; do :; done' & hog=$!
    fi
    run
    [ -z "$hog" ] || kill "$hog"
    new=$(newest) c=$(flagged "$base" "$new") a=$(flagged "$base" "$new" --absolute)
    false_calibrated=$((false_calibrated + c)) false_absolute=$((false_absolute + a))
    printf 'unchanged %2d%s  run %3d  calibrated %s  absolute %s\n' "$i" "${hog:+ (hog)}" "$new" "$c" "$a"
done
for i in $(seq "$runs"); do
    run --oci-runtime "$work/broken-runc-seccomp-slow"
    new=$(newest) c=$(flagged "$base" "$new") a=$(flagged "$base" "$new" --absolute)
    detected_calibrated=$((detected_calibrated + c)) detected_absolute=$((detected_absolute + a))
    printf 'slowed    %2d  run %3d  calibrated %s  absolute %s\n' "$i" "$new" "$c" "$a"
done
overhead() {  # the median p50 overhead of the runs' round trips
    sqlite3 "$db" "SELECT 1.0 * m.p50 / m.floorP50 FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
                   WHERE s.runId $1 AND m.floorP50 > 0 AND m.name LIKE '%round-trip%'" | median
}
echo
echo "round-trip p50 overhead, median: unchanged ×$(overhead "<= $((base + runs))"), slowed ×$(overhead "> $((base + runs))")"
echo "false alarms ($runs unchanged runs, half beside a CPU hog): calibrated $false_calibrated, absolute $false_absolute"
echo "detection ($runs runs slowed by seccomp-slow, ${SLOW_RULES:-200} rules): calibrated $detected_calibrated, absolute $detected_absolute"
