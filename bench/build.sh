#!/usr/bin/env bash
# Build benchmark: full build, no-change rebuild and one-edit rebuild of
# gen_corpus.py archives, with wall time and peak memory (medians of RUNS).
# Baselines in the same run: reading every input file once (`cat`), and
# copying the finished output tree (`cp -r`): the floor any generator pays
# to read that many files and to write that many files and folders.
#
#   bash bench/build.sh                 # 10k and 100k items, 3 runs each
#   SIZES="10000" RUNS=5 bash bench/build.sh
#   SKIP_COPY=1 ...                    # leave out the slow cp -r baseline
#
# Writes bench/results/build.md. Run it on a quiet machine: the numbers
# are only comparable within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-/tmp/protokol-bench}
GEN=../shared/tools/gen_corpus.py
OUT=${OUT:-bench/results/build.md}
mkdir -p "$WORK"
cargo build --release --quiet
BIN=$PWD/target/release/protokol

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Runs a command RUNS times; prints "median_seconds median_peak_MB".
measure() {
  local setup=$1; shift
  local times=() mems=()
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    local line
    line=$(/usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1)
    times+=("${line% *}"); mems+=("${line#* }")
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${mems[@]}" | median | awk '{printf "%.0f", $1/1024}')"
}

{
  echo "# Build benchmark"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "protokol $(git rev-parse --short HEAD); medians of $RUNS runs; rerun with \`bash bench/build.sh\`."
  echo
  echo "| items | pages | read inputs (baseline) | copy output tree (baseline) | full build | peak memory | rebuild, nothing changed | rebuild, one item edited | peak memory (edit) |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$OUT.tmp"

for n in $SIZES; do
  site="$WORK/site-$n"
  [ -f "$site/config.toml" ] || python3 "$GEN" --out "$site" --items "$n" >/dev/null
  item=$(find "$site/content" -name '*.md' | sort | sed -n 1p)
  clean="rm -rf '$site/public' '$site/.public.protokol-manifest'"
  read_floor=$(measure "true" sh -c "find '$site/content' -type f -print0 | xargs -0 cat > /dev/null")
  full=$(measure "$clean" "$BIN" build --root "$site")
  "$BIN" build --root "$site" >/dev/null 2>&1
  if [ -n "${SKIP_COPY:-}" ]; then copy="- -"; else
    copy=$(measure "rm -rf '$WORK/copy'" cp -r "$site/public" "$WORK/copy")
  fi
  rm -rf "$WORK/copy"
  noop=$(measure "true" "$BIN" build --root "$site")
  edit=$(measure "printf '\nRettet %s.\n' \$RANDOM >> '$item'" "$BIN" build --root "$site")
  pages=$("$BIN" check --root "$site" 2>&1 | grep -o '[0-9]* pages' | cut -d' ' -f1)
  printf '| %s | %s | %s s | %s s | %s s | %s MB | %s s | %s s | %s MB |\n' "$n" "$pages" \
    "${read_floor% *}" "${copy% *}" "${full% *}" "${full#* }" "${noop% *}" "${edit% *}" "${edit#* }" >> "$OUT.tmp"
done
mv "$OUT.tmp" "$OUT"
cat "$OUT"
