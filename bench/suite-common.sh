# suite-common.sh - shared by the benchmarks: timing a command over several
# runs, medians.

# median: the median of the numbers on stdin, one per line.
median() {
  sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

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
  done | median
}

# median_cpu_us RUNS command...: the median CPU time (user + system, the
# command's children included) of RUNS runs, in microseconds, from bash's
# `times` (millisecond resolution).  Less disturbed than wall time when
# other work shares the machine.
median_cpu_us() {
  local runs=$1 before after
  shift
  before=$(mktemp) after=$(mktemp)
  for _ in $(seq 1 "$runs"); do
    times >"$before"
    "$@" || { rm -f "$before" "$after"; return 1; }
    times >"$after"
    cat "$before" "$after" | awk 'NR % 2 == 0 {
      split($1, u, /[ms]/); split($2, s, /[ms]/)
      t[NR / 2] = (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1e6 }
      END { printf "%d\n", t[2] - t[1] }'
  done | median
  rm -f "$before" "$after"
}
