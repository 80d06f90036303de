#!/usr/bin/env bash
# Compares podbench's bulk throughput (localhost-throughput: 256 MiB over TCP on 127.0.0.1 in
# 256 KiB writes, from the first write to the receiver's acknowledgement) with iperf3 moving the
# same 256 MiB in 256 KiB writes over the loopback of a fresh network namespace (`unshare
# --net`), REPEAT times interleaved (default 3), medians compared, at each PLACEMENT given
# (default cross-cpu, same-cpu): podbench with --placement, iperf3's server and client pinned
# alike with taskset (server on the first CPU; client on the second for cross-cpu, on the first
# for same-cpu; free unpinned). MB/s are 10^6 bytes a second on both sides.
#
#   Benchmarks/throughput-vs-iperf3.sh [REPEAT [PLACEMENT...]]      # as root
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh
parse_arguments 3 cross-cpu same-cpu -- "$@"
repeat=$count
scratch_directory
hold_cpu_latency
ensure_tool iperf3
swift build -c release >/dev/null
db="$work/bench.sqlite"
allowed_cpus

printf '%-10s %12s %12s %7s\n' placement "podbench" "iperf3" ratio
for placement in "${placements[@]}"; do
    pin_for "$placement"
    ours=() theirs=()
    for _ in $(seq "$repeat"); do
        .build/release/podbench run localhost-throughput --placement "$placement" --db "$db" >/dev/null
        ours+=("$(sqlite3 "$db" "SELECT m.p50 FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
                                WHERE s.runId = (SELECT MAX(id) FROM run) AND m.name = 'bulk.throughput'")")
        theirs+=("$(unshare --net -- sh -c "ip link set lo up; $server_pin iperf3 -s -1 -p 5402 >/dev/null 2>&1 & sleep 0.3;
            $client_pin iperf3 -c 127.0.0.1 -p 5402 -n 256M -l 256K -J" |
            python3 -c 'import json, sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 8e6))')")
    done
    a=$(printf '%s\n' "${ours[@]}" | median)
    b=$(printf '%s\n' "${theirs[@]}" | median)
    awk -v p="$placement" -v a="$a" -v b="$b" 'BEGIN { printf "%-10s %7d MB/s %7d MB/s %7.3f\n", p, a, b, a / b }'
done
