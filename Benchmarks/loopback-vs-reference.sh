#!/usr/bin/env bash
# Compares podbench's round trips with reference tools measured in the same run on the same
# machine, 64-byte messages, p50 of the full round trip:
#   TCP and UDP on loopback  vs  sockperf ping-pong --full-rtt (Debian package sockperf)
#   SysV and POSIX queues    vs  Benchmarks/pingpong.c, a minimal C ping-pong
# Each pair runs REPEAT times interleaved (default 3) and the medians are compared. Needs root
# (podbench's local runtime and `unshare --net` for sockperf, so that both use a fresh network
# namespace's loopback). Targets: TCP/UDP within 1.05x of sockperf, queues within 1.10x of C.
#
#   Benchmarks/loopback-vs-reference.sh [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-3}
work=$(mktemp -d /tmp/podbench-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

command -v sockperf >/dev/null || { apt-get install -y -qq sockperf >/dev/null || { apt-get update -qq && apt-get install -y -qq sockperf >/dev/null; }; }
swift build -c release >/dev/null
cc -O2 -o "$work/pingpong" Benchmarks/pingpong.c
db="$work/bench.sqlite"

podbench_p50() { # scenario metric -> ns
    .build/release/podbench run "$1" --scenarios Benchmarks/scenarios --db "$db" >/dev/null
    sqlite3 "$db" "SELECT m.p50 FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
                   WHERE s.runId = (SELECT MAX(id) FROM run) AND m.name = '$2'"
}

sockperf_p50() { # tcp|udp -> ns
    local flag=""; [ "$1" = tcp ] && flag=--tcp
    unshare --net -- sh -c "ip link set lo up; sockperf server $flag -i 127.0.0.1 -p 11113 >/dev/null 2>&1 & server=\$!; sleep 0.3;
        sockperf ping-pong $flag -i 127.0.0.1 -p 11113 -m 64 -t 4 --full-rtt 2>&1; kill \$server 2>/dev/null; true" |
        awk '/percentile 50.000/ { printf "%d\n", $NF * 1000 }'
}

c_p50() { # sysv|posix -> ns
    "$work/pingpong" "$1" 64 100000
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-10s %14s %14s %8s %8s\n' channel "podbench p50" "reference p50" ratio target
for pair in "tcp tcp.round-trip sockperf 1.05" "udp udp.round-trip sockperf 1.05" \
            "sysv-msg sysv-msg.round-trip-64B c 1.10" "posix-mq posix-mq.round-trip-64B c 1.10"; do
    set -- $pair
    ours=() theirs=()
    for _ in $(seq "$repeat"); do
        ours+=("$(podbench_p50 "bench-$1" "$2")")
        case $3 in
            sockperf) theirs+=("$(sockperf_p50 "$1")") ;;
            c) theirs+=("$(c_p50 "$([ "$1" = sysv-msg ] && echo sysv || echo posix)")") ;;
        esac
    done
    a=$(printf '%s\n' "${ours[@]}" | median)
    b=$(printf '%s\n' "${theirs[@]}" | median)
    awk -v n="$1" -v a="$a" -v b="$b" -v t="$4" 'BEGIN {
        printf "%-10s %11.2f us %11.2f us %8.3f %7sx\n", n, a / 1000, b / 1000, a / b, t }'
done
