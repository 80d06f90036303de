#!/usr/bin/env bash
# What a local pod start costs on this machine: RUNS consecutive `podbench run all` (default 5)
# on the local runtime, release build, and the median and range of `pod.start` over the
# scenarios that run alone (the waiting group's pods start beside each other and record none);
# then a process start alone, for scale: `/bin/true` and `podbench-probe roles` (a static
# executable), the median of 200 each. The target (BENCHMARKS.md, pod start) is a p50 of at
# most 5 ms.
#
#   Benchmarks/pod-start.sh [RUNS]        # as root
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh
parse_arguments 5 -- "$@"
scratch_directory
swift build -c release >/dev/null
db="$work/pod-start.sqlite"
for _ in $(seq "$count"); do
    .build/release/podbench run all --db "$db" >/dev/null || true
done
samples=$(sqlite3 "$db" "SELECT p50 FROM metric WHERE name = 'pod.start' AND count > 0")
printf 'pod.start over %d runs (%d samples): p50 %.1f ms, range %.1f-%.1f ms\n' "$count" "$(echo "$samples" | wc -l)" \
    "$(echo "$samples" | median | awk '{ print $1 / 1e6 }')" \
    "$(echo "$samples" | sort -n | head -1 | awk '{ print $1 / 1e6 }')" "$(echo "$samples" | sort -n | tail -1 | awk '{ print $1 / 1e6 }')"
python3 - .build/release/podbench-probe <<'PY'
import statistics, subprocess, sys, time
def start(command, n=200):
    times = []
    for _ in range(n):
        began = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000
print(f"process start: /bin/true {start(['/bin/true']):.2f} ms, podbench-probe roles {start([sys.argv[1], 'roles']):.2f} ms")
PY
