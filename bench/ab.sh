#!/usr/bin/env bash
# A/B timing of two protokol builds on one site: two binaries, or one
# binary under two environments. The two alternate (A B B A A B …), each a full
# build into a fresh output folder with no caches, so that a slow spell of
# the machine or the disk falls on both alike. On this project's machine
# the same build varies by a third between runs; a change is worth keeping
# only when most pairs agree on it.
#
#   A=old/protokol B=target/release/protokol bash bench/ab.sh SITE
#   ROUNDS=7 ENV_B="RAYON_NUM_THREADS=3" bash bench/ab.sh SITE
#
# SITE holds config.toml and content/ (bench/build.sh makes such archives;
# its note on the file system applies here too). A and B default to
# target/release/protokol; ENV_A and ENV_B are `NAME=value ...` lists.
# The outputs go to OUT (default: SITE/../ab-out). Prints each round and
# the medians of A, B and of the pairs' differences (B - A).
set -euo pipefail
# For file_system; ab.sh's own clean, below, replaces the one there.
source "$(dirname "$0")/lib.sh"
SITE=$(realpath "${1:?usage: bash bench/ab.sh SITE}")
ROUNDS=${ROUNDS:-5}
A=${A:-target/release/protokol}
B=${B:-target/release/protokol}
ENV_A=${ENV_A:-}
ENV_B=${ENV_B:-}
OUT=$(realpath -m "${OUT:-$(dirname "$SITE")/ab-out}")
# Copies: a binary rebuilt during the run must not change sides.
BINS=$(mktemp -d)
cp "$A" "$BINS/a"
cp "$B" "$BINS/b"

# The output, what protokol keeps beside it, and the site's caches.
clean() {
  rm -rf "$OUT" "$(dirname "$OUT")/.$(basename "$OUT").protokol-manifest" \
    "$(dirname "$OUT")/.$(basename "$OUT").protokol-staging" "$SITE/.protokol-cache"
}
trap 'clean; rm -rf "$BINS"' EXIT

run() {
  local bin=$1 envs=$2
  clean
  sync
  sleep 2
  local log
  log=$(mktemp)
  # shellcheck disable=SC2086 # the lists are word-split on purpose
  if ! (cd "$SITE" && env $envs /usr/bin/time -f '%e %U %S %M' "$bin" build --output "$OUT" >/dev/null 2>"$log"); then
    # A failed build is no time: say why (a full disk, out of inodes) and stop.
    echo "ab.sh: the build by $bin failed:" >&2
    tail -5 "$log" >&2
    rm -f "$log"
    return 1
  fi
  tail -1 "$log"
  rm -f "$log"
}

echo "output on $(file_system "$(dirname "$OUT")"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "round  A: wall user sys KB  |  B: wall user sys KB"
results=()
for round in $(seq "$ROUNDS"); do
  # A first in odd rounds, B first in even ones: what the first build of a
  # pair leaves behind (writeback, a warm cache) falls on both alike.
  if [ $((round % 2)) = 1 ]; then
    a=$(run "$BINS/a" "$ENV_A")
    b=$(run "$BINS/b" "$ENV_B")
  else
    b=$(run "$BINS/b" "$ENV_B")
    a=$(run "$BINS/a" "$ENV_A")
  fi
  echo "$round  $a  |  $b"
  results+=("$a|$b")
done
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
pairs = [[float(x.split()[0]) for x in line.split("|")] for line in sys.stdin]
a = [p[0] for p in pairs]; b = [p[1] for p in pairs]; d = [p[1] - p[0] for p in pairs]
faster = sum(1 for x in d if x < 0)
print(f"median A {statistics.median(a):.2f} s, B {statistics.median(b):.2f} s, "
      f"B - A {statistics.median(d):+.2f} s; B faster in {faster} of {len(d)} pairs")
'
