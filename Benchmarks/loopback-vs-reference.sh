#!/usr/bin/env bash
# Compares podbench's round trips with reference tools measured in the same run on the same
# machine, 64-byte messages, the full round trip's p50 and p99:
#   TCP and UDP on loopback  vs  sockperf ping-pong --full-rtt (Debian package sockperf)
#   SysV and POSIX queues    vs  Benchmarks/pingpong.c, a minimal C ping-pong
# Each pair runs REPEAT times interleaved (default 3) and the medians of each percentile are
# compared, at each PLACEMENT given (default cross-cpu, same-cpu, free): podbench with
# --placement, the reference tools pinned alike with taskset / sched_setaffinity (server side on
# the first CPU; client on the second for cross-cpu, on the first for same-cpu; free unpinned). Needs root (podbench's local runtime and `unshare --net` for sockperf, so that both
# use a fresh network namespace's loopback). Targets, at p50: TCP/UDP within 1.05x of sockperf,
# queues within 1.10x of C; p99 ratios are reported, not targeted (the tail is the scheduler's).
#
#   Benchmarks/loopback-vs-reference.sh [REPEAT [PLACEMENT...]]
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh
parse_arguments 3 cross-cpu same-cpu free -- "$@"
repeat=$count
scratch_directory
hold_cpu_latency
ensure_tool sockperf
swift build -c release >/dev/null
cc -O2 -o "$work/pingpong" Benchmarks/pingpong.c
db="$work/bench.sqlite"

podbench_percentiles() { # scenario metric -> "p50 p99" in ns
    .build/release/podbench run "$1" --scenarios Benchmarks/scenarios --placement "$placement" --db "$db" >/dev/null
    sqlite3 -separator ' ' "$db" "SELECT m.p50, m.p99 FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
                   WHERE s.runId = (SELECT MAX(id) FROM run) AND m.name = '$2'"
}

sockperf_percentiles() { # tcp|udp -> "p50 p99" in ns
    local flag=""; [ "$1" = tcp ] && flag=--tcp
    unshare --net -- sh -c "ip link set lo up; $server_pin sockperf server $flag -i 127.0.0.1 -p 11113 >/dev/null 2>&1 & server=\$!; sleep 0.3;
        $client_pin sockperf ping-pong $flag -i 127.0.0.1 -p 11113 -m 64 -t 4 --full-rtt 2>&1; kill \$server 2>/dev/null; true" |
        awk '/percentile 50.000/ { p50 = $NF * 1000 } /percentile 99.000/ { p99 = $NF * 1000 } END { printf "%d %d\n", p50, p99 }'
}

c_percentiles() { # sysv|posix -> "p50 p99" in ns
    "$work/pingpong" "$1" 64 100000 $c_cpus
}

allowed_cpus
for placement in "${placements[@]}"; do
pin_for "$placement"
case $placement in
    cross-cpu) c_cpus="${cpus[1]} ${cpus[0]}" ;;
    same-cpu) c_cpus="${cpus[0]} ${cpus[0]}" ;;
    *) c_cpus="" ;;
esac
echo "placement $placement"
printf '%-10s %12s %12s %7s %7s %12s %12s %7s\n' channel "ours p50" "ref p50" ratio target "ours p99" "ref p99" ratio
for pair in "tcp tcp.round-trip sockperf 1.05" "udp udp.round-trip sockperf 1.05" \
            "sysv-msg sysv-msg.round-trip-64B c 1.10" "posix-mq posix-mq.round-trip-64B c 1.10"; do
    set -- $pair
    ours=() theirs=()
    for _ in $(seq "$repeat"); do
        ours+=("$(podbench_percentiles "bench-$1" "$2")")
        case $3 in
            sockperf) theirs+=("$(sockperf_percentiles "$1")") ;;
            c) theirs+=("$(c_percentiles "$([ "$1" = sysv-msg ] && echo sysv || echo posix)")") ;;
        esac
    done
    a50=$(printf '%s\n' "${ours[@]}" | cut -d' ' -f1 | median)
    a99=$(printf '%s\n' "${ours[@]}" | cut -d' ' -f2 | median)
    b50=$(printf '%s\n' "${theirs[@]}" | cut -d' ' -f1 | median)
    b99=$(printf '%s\n' "${theirs[@]}" | cut -d' ' -f2 | median)
    awk -v n="$1" -v a50="$a50" -v b50="$b50" -v a99="$a99" -v b99="$b99" -v t="$4" 'BEGIN {
        printf "%-10s %9.2f us %9.2f us %7.3f %6sx %9.2f us %9.2f us %7.3f\n", n, a50 / 1000, b50 / 1000, a50 / b50, t, a99 / 1000, b99 / 1000, a99 / b99 }'
done
done
