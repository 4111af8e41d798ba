# suite-common.sh - shared by the suite-* benchmarks: timing a command over
# several runs.

# median_wall_us RUNS command...: the median wall time of RUNS runs of the
# command, in microseconds.  A failing run fails the pipeline (pipefail).
median_wall_us() {
  local runs=$1 t0 t1
  shift
  for _ in $(seq 1 "$runs"); do
    t0=$(date +%s%N)
    "$@" || return 1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000))
  done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
