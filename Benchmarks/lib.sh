# What the benchmark scripts share; sourced by them from the repository's root, as root.
#
#   parse_arguments DEFAULT-COUNT DEFAULT-PLACEMENT... -- "$@"
#       sets $count (the first argument, else DEFAULT-COUNT) and $placements (the rest, else
#       the DEFAULT-PLACEMENTs)
#   allowed_cpus            sets $cpus: the CPUs this shell may use, one per element
#   pin_for PLACEMENT       sets $server_pin and $client_pin: taskset prefixes that place a
#                           reference tool's two ends as podbench --placement places its probes
#   ensure_tool NAME        installs the Debian package NAME when the command is missing
#   median                  the median of the numbers on standard input, one per line
#   scratch_directory       sets $work: a temporary directory removed when the script exits
#   hold_cpu_latency        idle CPUs poll for the rest of the script (the kernel's CPU latency
#                           held at 0 us), as during a podbench run (--cpu-idle poll, its
#                           default): reference tools are then measured as podbench is
set -euo pipefail

parse_arguments() {
    local defaults=()
    while [ "$1" != -- ]; do defaults+=("$1"); shift; done
    shift
    count=${1:-${defaults[0]}}
    shift || true
    placements=("$@")
    [ $# -gt 0 ] || placements=("${defaults[@]:1}")
}

allowed_cpus() {
    cpus=($(awk -F: '/Cpus_allowed_list/ { gsub(/ /, "", $2); print $2 }' /proc/self/status | tr ',' '\n' |
            awk -F- '{ for (c = $1; c <= ($2 == "" ? $1 : $2); c++) print c }'))
}

pin_for() {
    case $1 in
        cross-cpu) server_pin="taskset -c ${cpus[0]}"; client_pin="taskset -c ${cpus[1]}" ;;
        same-cpu) server_pin="taskset -c ${cpus[0]}"; client_pin="taskset -c ${cpus[0]}" ;;
        *) server_pin=""; client_pin="" ;;
    esac
}

ensure_tool() {
    command -v "$1" >/dev/null || { apt-get install -y -qq "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }; }
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

scratch_directory() {
    work=$(mktemp -d /tmp/podbench-bench-XXXXXX)
    trap 'rm -rf "$work"' EXIT
}

hold_cpu_latency() {
    exec {cpu_latency}>/dev/cpu_dma_latency
    printf '\0\0\0\0' >&"$cpu_latency"
}
