#!/usr/bin/env bash
# Build benchmark: full build (pages only, and with everything), rebuild
# with nothing changed and with one item edited, of gen_corpus.py archives;
# wall time and peak memory, medians of RUNS runs.
# Baselines in the same run: reading every input file once (`cat`), and
# copying the finished pages-only output tree (`cp -r`): the floor any
# generator pays to read that many files and to write that many files and
# folders.
#
#   bash bench/build.sh                 # 10k and 100k items, 3 runs each
#   SIZES="10000" RUNS=5 bash bench/build.sh
#   SKIP_COPY=1 ...                    # leave out the slow cp -r baseline
#   BENCH_DIR=/mnt/bench ...           # where the archives and outputs go
#
# "Pages only" is the same content with `[outputs] search = false,
# feeds = false, oparl = false` in config.toml (hard-linked content).
#
# Put BENCH_DIR on a journaled file system. On an ext4 without a journal
# (this machine's root file system) the kernel skips inodes freed in the
# last ~50 minutes when it allocates new ones, so every rm -rf of an output
# makes the next full build slower (seen: 12.6 s → 27.6 s). A loop-mounted
# ext4 image with the default journal avoids it:
#   truncate -s 30G /tmp/bench.img && mkfs.ext4 -q -F /tmp/bench.img
#   mkdir -p /mnt/bench && mount -o loop /tmp/bench.img /mnt/bench
#
# Writes bench/results/build.md. Run it on a quiet machine: the numbers
# are only comparable within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-/tmp/protokol-bench}
GEN=${GEN_CORPUS:-../shared/tools/gen_corpus.py}
OUT=${OUT:-bench/results/build.md}
mkdir -p "$WORK"
cargo build --release --quiet
BIN=$PWD/target/release/protokol

source bench/lib.sh
files() { find "$1" -type f | wc -l; }

{
  echo "# Build benchmark"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; file system of the outputs: $(df -T "$WORK" | awk 'NR==2{print $2}'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "protokol $(git rev-parse --short HEAD); medians of $RUNS runs; rerun with \`bash bench/build.sh\` (see its header)."
  echo
  echo "| items | pages | files (pages only / everything) | read inputs (baseline) | copy output tree (baseline) | full build, pages only | peak memory | full build, everything | peak memory | rebuild, nothing changed | rebuild, one item edited |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$OUT.tmp"

for n in $SIZES; do
  site="$WORK/site-$n"
  pages_site="$WORK/site-$n-pages"
  [ -f "$site/config.toml" ] || python3 "$GEN" --out "$site" --items "$n" >/dev/null
  variant_site "$site" "$pages_site" "search = false" "feeds = false" "oparl = false"
  read_floor=$(measure "true" sh -c "find '$site/content' -type f -print0 | xargs -0 cat > /dev/null")
  pages_full=$(measure "$(clean "$pages_site")" "$BIN" build --root "$pages_site")
  "$BIN" build --root "$pages_site" >/dev/null 2>&1
  if [ -n "${SKIP_COPY:-}" ]; then copy="- - -"; else
    copy=$(measure "rm -rf '$WORK/copy'; sync" cp -r "$pages_site/public" "$WORK/copy")
  fi
  rm -rf "$WORK/copy"
  noop=$(measure "true" "$BIN" build --root "$pages_site")
  item=$(find "$pages_site/content" -name '*.md' | sort | sed -n 1p)
  # The edit goes to a copy of the item: the content is hard-linked.
  cp "$item" "$item.tmp" && mv "$item.tmp" "$item"
  edit=$(measure "printf '\nRettet %s.\n' \$RANDOM >> '$item'" "$BIN" build --root "$pages_site")
  all_full=$(measure "$(clean "$site")" "$BIN" build --root "$site")
  pages=$("$BIN" check --root "$pages_site" 2>&1 | grep -o '[0-9]* pages' | cut -d' ' -f1)
  printf '| %s | %s | %s / %s | %s s | %s s | %s s | %s MB | %s s | %s MB | %s s | %s s |\n' "$n" "$pages" \
    "$(files "$pages_site/public")" "$(files "$site/public")" \
    "$(secs "$read_floor")" "$(secs "$copy")" "$(secs "$pages_full")" "$(mb "$pages_full")" \
    "$(secs "$all_full")" "$(mb "$all_full")" "$(secs "$noop")" "$(secs "$edit")" >> "$OUT.tmp"
done
mv "$OUT.tmp" "$OUT"
cat "$OUT"
