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
# Do not put BENCH_DIR on this machine's root file system: there the
# kernel skips inodes freed in the last ~50 minutes when it allocates new
# ones, so every rm -rf of an output makes the next full build slower
# (seen: 12.6 s → 27.6 s without a journal; on 2026-12-07, with one,
# pages and search 15.1, 45.0, 22.1 s back to back). A loop-mounted fresh
# ext4 image with the default journal avoids it. Give the loop device
# direct I/O, as a disk has: without it every block written is cached
# twice (the device's and the image file's page cache) and written back
# twice, beside the build (pages only at 100k: 9.5 to 11.0 s against 9.7
# to 12.3 s, bench/results/build.md, 2026-12-07 session 21):
#   truncate -s 40G /tmp/bench.img && mkfs.ext4 -q -F /tmp/bench.img
#   mkdir -p /mnt/bench
#   mount "$(losetup -f --show --direct-io=on /tmp/bench.img)" /mnt/bench
# (`losetup --direct-io=on /dev/loopN` switches a mounted one.) Keep an
# eye on `df -i`: a 100k archive with all its outputs takes a million
# inodes.
#
# Writes bench/results/build.md, above what it held before (kept as
# "Earlier run"). Run it on a quiet machine: the numbers are only
# comparable within one run.
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
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; file system of the outputs: $(file_system "$WORK"); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
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
keep_history "$OUT.tmp" "$OUT"
sed -n '1,/^## Earlier run$/p' "$OUT"
