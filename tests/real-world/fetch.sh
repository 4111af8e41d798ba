#!/bin/bash
# tests/real-world/fetch.sh - unpack Debian 12 source packages into DIR/src
# through a temporary sources list under DIR/apt (deb and deb-src lines for
# bookworm, passed with -o Dir::Etc::SourceList=...; the system's apt
# configuration and lists are not touched), and install the few Debian
# packages the real-world builds need when missing.
#
#   tests/real-world/fetch.sh DIR PACKAGE...        (as root)
set -u
# The build dependencies that matter here (the packages' own build-deps less
# documentation tools; texinfo because check's `make check` builds its manual).
BUILD_DEPS="autoconf automake libtool texinfo cmake pkg-config sqlite3"

[ $# -ge 2 ] || { echo "usage: $0 DIR PACKAGE..." >&2; exit 2; }
dir=$1; shift
mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/src" || exit 1
apt_opts=(-o "Dir::Etc::SourceList=$dir/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache")
repo="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main"
printf 'deb %s\ndeb-src %s\n' "$repo" "$repo" >"$dir/apt/sources.list"

# step <log> <what> command...: run quietly, show the log if it fails.
step() {
  local log=$dir/apt/$1 what=$2; shift 2
  "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "fetch.sh: $what failed" >&2; exit 1; }
}

echo "== apt-get update (temporary lists in $dir/apt)"
step update.log "apt-get update" apt-get "${apt_opts[@]}" update
missing=()
for p in $BUILD_DEPS; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  step install.log "installing ${missing[*]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get "${apt_opts[@]}" install -y "${missing[@]}"
fi
echo "== apt-get source $*"
cd "$dir/src" && step source.log "apt-get source $*" apt-get "${apt_opts[@]}" source "$@"
