#!/usr/bin/env bash
# The anchors of DESIGN-NOTES.md measured on this machine, in the same run
# as protokol: the issues' targets are set against anchor numbers taken on
# "this kind of machine", but machines of this kind differ by 2x or more
# from one day to the next. Timing Hugo and Pagefind here, on the same
# gen_corpus.py archive, tells how fast today's machine is against the
# one the anchors (and so the targets) were measured on.
#
#   bash bench/anchors.sh                  # 100,000 items, 3 runs each
#   ITEMS=10000 RUNS=1 BENCH_DIR=/mnt/bench bash bench/anchors.sh
#
# Needs Debian's hugo (apt-get install hugo) and Pagefind from PyPI
# (pip install pagefind_bin); both are left out when missing. The
# anchors were Hugo 0.168 and Pagefind 1.6; Debian 12 has Hugo 0.111,
# PyPI Pagefind 1.5.2. Writes bench/results/anchors.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ITEMS=${ITEMS:-100000}
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-/tmp/protokol-bench}
GEN=${GEN_CORPUS:-../shared/tools/gen_corpus.py}
OUT=${OUT:-bench/results/anchors.md}
mkdir -p "$WORK"
source bench/lib.sh
cargo build --release --quiet
BIN=$PWD/target/release/protokol
PAGEFIND=$(python3 -c 'import os, pagefind_bin; print(os.path.join(os.path.dirname(pagefind_bin.__file__), "pagefind"))' 2>/dev/null || true)

hugo_site="$WORK/hugo-$ITEMS"
site="$WORK/site-$ITEMS"
pages_site="$WORK/site-$ITEMS-pages"
search_site="$WORK/site-$ITEMS-search"
[ -f "$hugo_site/config.toml" ] || python3 "$GEN" --out "$hugo_site" --items "$ITEMS" --flavor hugo >/dev/null
[ -f "$site/config.toml" ] || python3 "$GEN" --out "$site" --items "$ITEMS" >/dev/null
variant_site "$site" "$pages_site" "search = false" "feeds = false" "oparl = false"
variant_site "$site" "$search_site" "feeds = false" "oparl = false"

row() { # name, anchor, result
  local r=($3)
  printf '| %s | %s | %s s | %s MB | %s |\n' "$1" "$2" "${r[0]}" "${r[1]}" "${r[2]}"
}

{
  echo "# Anchors measured beside protokol"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); file system: $(file_system "$WORK"); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "protokol $(git rev-parse --short HEAD), $ITEMS items (gen_corpus.py, seed 1); medians of $RUNS runs (all runs in the last column); rerun with \`bash bench/anchors.sh\`."
  echo
  echo "| build | anchor (DESIGN-NOTES.md) | wall here | peak memory | runs |"
  echo "| --- | --- | ---: | ---: | --- |"
} > "$OUT.tmp"

if command -v hugo >/dev/null; then
  hugo_result=$(measure "rm -rf '$hugo_site/public' '$hugo_site/resources'; sync" hugo --quiet --source "$hugo_site")
  row "Hugo $(hugo version | grep -o 'v[0-9.]*' | head -1), pages" "Hugo 0.168: 57 s, 3.3 GB" "$hugo_result" >> "$OUT.tmp"
else
  echo "SKIP: hugo is not installed (apt-get install hugo)" >&2
fi
if [ -n "$PAGEFIND" ] && [ -x "$PAGEFIND" ] && [ -d "$hugo_site/public" ]; then
  pf_result=$(measure "rm -rf '$hugo_site/public/pagefind'; sync" "$PAGEFIND" --site "$hugo_site/public")
  row "Pagefind $("$PAGEFIND" --version | awk '{print $2}'), search index over Hugo's pages" "Pagefind 1.6 over Zola's pages: 74 s, 6.3 GB" "$pf_result" >> "$OUT.tmp"
else
  echo "SKIP: pagefind is not installed (pip install pagefind_bin)" >&2
fi
row "protokol, pages only" "target: 10 s, 1 GB (Zola 0.22: 20 s, 0.93 GB)" \
  "$(measure "$(clean "$pages_site")" "$BIN" build --root "$pages_site")" >> "$OUT.tmp"
row "protokol, pages and search (feeds, OParl off)" "target: 15 s" \
  "$(measure "$(clean "$search_site")" "$BIN" build --root "$search_site")" >> "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
