# probe-env.sh - sourced by the probe benchmarks: the build directory
# ($1), the bench program, a scratch directory to run in, no PYMON_*
# settings of the user's.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
bench=$build/bench/probe-bench
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
for v in $(env | sed -n 's/^\(PYMON_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
