#!/usr/bin/env bash
# Benchmark of `protokol serve`: edit-to-updated-page latency (file saved →
# new page served), edit-to-search latency (file saved → a visitor's search
# shows the new title) and peak memory, on gen_corpus.py archives. The
# search latency is measured with the browser client (search.js) in node
# when node is installed.
#
#   bench/serve.sh                 # 10k and 100k items, 10 edits each
#   EDITS=20 bench/serve.sh 10000  # other sizes / more edits
#
# Environment: WORK (scratch folder, default /tmp/protokol-bench-serve; the
# generated archives are kept there and reused), GEN_CORPUS (default
# /work/shared/tools/gen_corpus.py), EDITS (default 10).
# Writes bench/results/serve.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000 100000)
WORK="${WORK:-/tmp/protokol-bench-serve}"
GEN_CORPUS="${GEN_CORPUS:-/work/shared/tools/gen_corpus.py}"
EDITS="${EDITS:-10}"
mkdir -p "$WORK"

cargo build --release --quiet
# A private copy: other builds sharing the target folder may replace it.
BIN="$WORK/protokol"
cp "${CARGO_TARGET_DIR:-target}/release/protokol" "$BIN"

RESULTS=()
for n in "${SIZES[@]}"; do
  site="$WORK/c$n"
  if [ ! -f "$site/config.toml" ]; then
    echo "generating $n items into $site" >&2
    python3 "$GEN_CORPUS" --out "$site" --items "$n" --seed 1 >/dev/null
  fi
  echo "measuring $n items" >&2
  RESULTS+=("$n $(python3 bench/serve_latency.py --bin "$BIN" --site "$site" --edits "$EDITS")")
done

out=bench/results/serve.md
{
  echo "# protokol serve: edit-to-updated-page latency"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Rerun: \`bench/serve.sh\` (sizes as arguments, \`EDITS=n\` for more edits)."
  echo
  echo "Each edit changes the title of one agenda item file (written and closed, as an"
  echo "editor saves it); latency is from the file being saved to the item page served"
  echo "over HTTP showing the new title (polled every 2 ms). Includes the watcher's"
  echo "debounce window (60 ms). Search latency: from the file being saved to the served"
  echo "search index showing the new title (polled every 2 ms once the page shows it): in the"
  echo "search delta of the manifest, which an update writes beside the last full export in"
  echo "the same step as the pages. Then the browser client checks what a visitor sees"
  echo "(search.js in node, tests/search/served.mjs: the marker words of the new title"
  echo "searched as by a visitor loading the search page again, the manifest with the delta"
  echo "fetched over HTTP, the content-hashed shards from the cache): \"client search\" is how"
  echo "long that search took. The full export runs once edits pause (1 s); \"full export\""
  echo "is from the file being saved to the server logging that it caught up, and each next"
  echo "edit waits for it. Peak memory is the serve process's VmHWM."
  echo
  echo "| items | files served | first build | edits | page: median latency | page: max | median page rebuild (server) | search: median latency | search: max | client search: median | full export caught up: median | peak memory |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for r in "${RESULTS[@]}"; do
    n="${r%% *}"; json="${r#* }"
    python3 - "$n" "$json" <<'PY'
import json, sys
n, r = sys.argv[1], json.loads(sys.argv[2])
ms = lambda x: f"{x:.0f} ms" if x is not None else "–"
print(f"| {int(n):,} | {r['files']:,} | {r['first_build_ms']/1000:.1f} s | {len(r['latencies_ms'])} "
      f"| {ms(r['median_ms'])} | {ms(r['max_ms'])} | {ms(r['rebuild_median_ms'])} "
      f"| {ms(r['search_median_ms'])} | {ms(r['search_max_ms'])} | {ms(r['client_search_median_ms'])} "
      f"| {ms(r['search_full_median_ms'])} "
      f"| {r['peak_rss_mb']:.0f} MB |")
PY
  done
  echo
  echo "Where an update's time goes (first edits, as the server logs them):"
  echo
  for r in "${RESULTS[@]}"; do
    n="${r%% *}"; json="${r#* }"
    python3 - "$n" "$json" <<'PY'
import json, sys
n, r = sys.argv[1], json.loads(sys.argv[2])
for line in r["phases"] + r["deferred"]:
    print(f"- {int(n):,} items: `{line}`")
print(f"- {int(n):,} items, all page latencies (ms): {', '.join(str(x) for x in r['latencies_ms'])}")
print(f"- {int(n):,} items, all search latencies (ms): {', '.join(str(x) for x in r['search_latencies_ms'])}")
print(f"- {int(n):,} items, client searches (ms): {', '.join(str(x) for x in r['client_search_ms'])}"
      f" (results from the delta: {sum(r['client_from_delta'])} of {len(r['client_from_delta'])})")
print(f"- {int(n):,} items, full export caught up after (ms): {', '.join(str(x) for x in r['search_full_latencies_ms'])}")
PY
  done
  echo
  echo "Targets (issue 4): page and search within 300 ms at 100k items, serve within 1.5 GB."
  echo "Pages, listings, case pages, feeds, calendars, the sitemap and OParl update"
  echo "incrementally. The search export cannot (its files are named by a hash of the whole"
  echo "index and hold BM25 scores that depend on collection-wide statistics), so an update"
  echo "writes a search delta instead: the edited documents, scored with the last export's"
  echo "statistics, and the numbers of the documents they replace, in the manifest; search.js"
  echo "merges it into its results. The full export follows once edits pause and removes it."
} > "$out"
cat "$out"
