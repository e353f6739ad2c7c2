#!/usr/bin/env bash
# Search benchmark on gen_corpus.py archives (10k and 100k items):
#   - the search step alone (documents, a fresh tantivy index, the export),
#   - the whole build with search (fresh output folder, no caches) and a
#     rebuild after one item was edited (which re-indexes),
#   - index size on disk and file count,
#   - bytes a visitor downloads, gzip-compressed as served by
#     shared/tools/xfer_server.py, for cold and warm searches in headless
#     Chromium, and the client's compute time (node, files in memory),
#   - requests and bytes of 200 cold two-word searches of words from random
#     titles, and 200 of words from random items' texts, without and with
#     a committee filter (search_requests.mjs).
# Medians of RUNS runs.
#
#   bash bench/search.sh                       # 10k and 100k items, 3 runs
#   SIZES="10000" RUNS=5 bash bench/search.sh
#   BASELINE_BIN=/path/to/protokol-without-search bash bench/search.sh
#                                              # also time that binary's build
#
# Needs python3, node, Chromium and tests/browser/node_modules (npm ci
# --prefix tests/browser). Writes bench/results/search.md, above what it
# held before (kept as "Earlier run"). The numbers are only comparable
# within one run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-/tmp/protokol-search-bench}
GEN=${GEN_CORPUS:-/work/shared/tools/gen_corpus.py}
XFER=${XFER_SERVER:-/work/shared/tools/xfer_server.py}
OUT=bench/results/search.md
mkdir -p "$WORK/bin" bench/results
[ -d tests/browser/node_modules/playwright-core ] || npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

cargo build --release --quiet --bin protokol --example search_bench
TARGET=${CARGO_TARGET_DIR:-target}
# Copies: a target folder shared with other checkouts may be rebuilt meanwhile.
cp "$TARGET/release/protokol" "$WORK/bin/protokol"
cp "$TARGET/release/examples/search_bench" "$WORK/bin/search_bench"
BIN=$WORK/bin/protokol

source bench/lib.sh
JSON=$WORK/results.jsonl
: > "$JSON"

for N in $SIZES; do
  SITE=$WORK/site-$N
  if [ ! -f "$SITE/config.toml" ]; then
    python3 "$GEN" --out "$SITE" --items "$N" >/dev/null
  fi
  PUB=$WORK/public-$N

  # 1. The search step alone, from scratch.
  step=()
  for _ in $(seq "$RUNS"); do step+=("$("$WORK/bin/search_bench" "$SITE")"); done

  # 2. Whole build into a fresh folder, no caches; then one edited item.
  full_t=(); full_m=(); edit_t=(); base_t=()
  if [ -n "${BASELINE_BIN:-}" ]; then
    for _ in $(seq "$RUNS"); do
      rm -rf "$PUB" "$WORK/.public-$N.protokol-manifest"
      base_t+=("$(/usr/bin/time -f "%e" "$BASELINE_BIN" build --root "$SITE" -o "$PUB" 2>&1 >/dev/null | tail -1)")
    done
  else
    base_t=(0)
  fi
  ITEM=$(find "$SITE/content" -name '*.md' | sort | sed -n 1p)
  cp "$ITEM" "$WORK/item.orig"
  for r in $(seq "$RUNS"); do
    rm -rf "$PUB" "$WORK/.public-$N.protokol-manifest" "$SITE/.protokol-cache"
    line=$(/usr/bin/time -f "%e %M" "$BIN" build --root "$SITE" -o "$PUB" 2>&1 >/dev/null | tail -1)
    full_t+=("${line% *}"); full_m+=("${line#* }")
    printf '\nTilføjet i kørsel %s af benchmarken.\n' "$r" >> "$ITEM"
    line=$(/usr/bin/time -f "%e %M" "$BIN" build --root "$SITE" -o "$PUB" 2>&1 >/dev/null | tail -1)
    edit_t+=("${line% *}")
    cp "$WORK/item.orig" "$ITEM"
  done
  "$BIN" build --root "$SITE" -o "$PUB" >/dev/null 2>&1
  index_bytes=$(du -sb "$PUB/soeg/indeks" | cut -f1)
  index_files=$(find "$PUB/soeg/indeks" -type f | wc -l)
  site_files=$(find "$PUB" -type f | wc -l)
  tantivy_bytes=$(du -sb "$SITE/.protokol-cache/search" | cut -f1)
  manifest_gz=$(gzip -6 -c "$PUB/soeg/indeks/manifest.json" | wc -c)

  # 3. A visitor over gzip, cold and warm.
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  LOG=$WORK/xfer-$N.log
  : > "$LOG"
  python3 "$XFER" "$PUB" "$PORT" "$LOG" &
  XPID=$!
  trap 'kill $XPID 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/soeg/')" 2>/dev/null && break
    sleep 0.1
  done
  cat > "$WORK/visit.json" <<'SPEC'
{ "cold": [
    { "name": "one word", "path": "/soeg/?q=lokalplan" },
    { "name": "two words + committee", "path": "/soeg/?q=lokalplan+grenaa&udvalg=miljoe-og-planudvalget" },
    { "name": "one word + committee", "path": "/soeg/?q=cykelsti&udvalg=teknik-og-trafikudvalget" },
    { "name": "two words", "path": "/soeg/?q=kollektiv+trafik" },
    { "name": "most common word", "path": "/soeg/?q=godkendt" },
    { "name": "case number", "path": "/soeg/?q=10%2F25" },
    { "name": "one word + year", "path": "/soeg/?q=udbud&aar=2012" },
    { "name": "two words of the body", "path": "/soeg/?q=foreninger+hemmed" } ],
  "warm": [ { "name": "warm: another word", "after": "/soeg/?q=lokalplan", "q": "skolestruktur" } ] }
SPEC
  visits=()
  for _ in $(seq "$RUNS"); do visits+=("$(node bench/search_visitor.mjs "http://127.0.0.1:$PORT" "$LOG" "$WORK/visit.json")"); done
  kill "$XPID" 2>/dev/null || true
  trap - EXIT

  cat > "$WORK/compute.json" <<'SPEC'
[ { "name": "one word", "q": "lokalplan" },
  { "name": "two words + committee", "q": "lokalplan grenaa", "committee": "miljoe-og-planudvalget" },
  { "name": "one word + committee", "q": "cykelsti", "committee": "teknik-og-trafikudvalget" },
  { "name": "two words", "q": "kollektiv trafik" },
  { "name": "most common word", "q": "godkendt" },
  { "name": "case number", "q": "10/25" },
  { "name": "one word + year", "q": "udbud", "year": 2012 },
  { "name": "two words of the body", "q": "foreninger hemmed" },
  { "name": "warm: another word", "q": "skolestruktur" } ]
SPEC
  compute=$(node bench/search_compute.mjs "$PUB" 7 "$WORK/compute.json")
  # 4. Cold two-word searches beyond the fixed set: words of random titles.
  node bench/search_requests.mjs "$SITE" "$PUB" 200 1 > "$WORK/requests.json"

  python3 - "$N" "$RUNS" "$index_bytes" "$index_files" "$site_files" "$tantivy_bytes" "$manifest_gz" \
    "$(printf '%s\n' "${full_t[@]}" | median)" "$(printf '%s\n' "${full_m[@]}" | median)" \
    "$(printf '%s\n' "${edit_t[@]}" | median)" "$(printf '%s\n' "${base_t[@]}" | median)" \
    "$compute" "$WORK/requests.json" "${step[@]}" "--" "${visits[@]}" >> "$JSON" <<'PY'
import json, statistics, sys
a = sys.argv[1:]
sep = a.index("--")
(n, runs, index_bytes, index_files, site_files, tantivy_bytes, manifest_gz,
 full_t, full_m, edit_t, base_t, compute, requests_file) = a[:13]
steps = [json.loads(s) for s in a[13:sep]]
visits = [json.loads(v) for v in a[sep + 1:]]
med = lambda xs: statistics.median(xs)
row = {
    "items": int(n), "runs": int(runs),
    "docs": steps[0]["docs"],
    "collect_s": med([s["collect_s"] for s in steps]),
    "index_s": med([s["index_s"] for s in steps]),
    "export_s": med([s["export_s"] for s in steps]),
    "index_bytes": int(index_bytes), "index_files": int(index_files), "site_files": int(site_files),
    "tantivy_bytes": int(tantivy_bytes), "manifest_gz": int(manifest_gz),
    "full_s": float(full_t), "full_mb": float(full_m) / 1024, "edit_s": float(edit_t),
    "base_s": float(base_t),
    "compute": json.loads(compute), "visits": [],
    "requests": json.load(open(requests_file)),
}
for i, v in enumerate(visits[0]):
    runs_of = [vs[i] for vs in visits]
    row["visits"].append({
        "name": v["name"], "kind": v["kind"], "path": v["path"],
        **{k: med([r[k] for r in runs_of]) for k in
           ("index_requests", "index_bytes", "page_requests", "page_bytes", "all_requests", "all_bytes", "ms")},
        "files": v["files"],
    })
print(json.dumps(row))
PY
done

python3 - "$JSON" "$OUT" "$RUNS" "$(git rev-parse --short HEAD)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
out, runs, rev, load = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
kb = lambda b: f"{b / 1000:.1f} KB"
mb = lambda b: f"{b / 1e6:.1f} MB"
L = []
L.append("# Search benchmark\n")
L.append(f"protokol {rev}; gen_corpus.py archives (seed 1); medians of {runs} runs; "
         f"2 cores; load average at the end: {load}.  ")
L.append("Rerun with `bash bench/search.sh` (or `SIZES=10000 RUNS=5 bash bench/search.sh`).\n")
L.append("## Build\n")
L.append("The search step alone builds a fresh tantivy index (2 threads) and exports the static index; "
         "in a real build it runs while the pages render. *Whole build*: `protokol build` into an empty "
         "folder with no caches. *One item edited*: the rebuild after appending a sentence to one item, "
         "which re-indexes everything.\n")
L.append("| items | search documents | search step: documents + tantivy + export | whole build with search | same build without search (baseline) | peak memory | rebuild, one item edited | tantivy index (cache) | static index on disk | its files | site files | manifest (gzip) |")
L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    step = r["collect_s"] + r["index_s"] + r["export_s"]
    base = f"{r['base_s']:.2f} s" if r["base_s"] else "not run"
    L.append(f"| {r['items']} | {r['docs']} | {step:.2f} s ({r['collect_s']:.2f} + {r['index_s']:.2f} + {r['export_s']:.2f}) "
             f"| {r['full_s']:.2f} s | {base} | {r['full_mb']:.0f} MB | {r['edit_s']:.2f} s | {mb(r['tantivy_bytes'])} "
             f"| {mb(r['index_bytes'])} | {r['index_files']} | {r['site_files']} | {r['manifest_gz']} B |")
L.append("\n## What a visitor downloads\n")
L.append("Bytes on the wire as `xfer_server.py` sends them (gzip; the index's `.bin` files are gzip "
         "already and go as they are). *Index*: requests to `soeg/indeks/` (manifest, shards, "
         "metadata bundles, filters). *Everything*: also the search page, CSS and `search.js`, which "
         "a browser caches across pages. *Snippet pages*: item pages fetched after the results are "
         "shown, for results whose title and stored snippet miss a word of the query (the snippet "
         "then comes from the page; a click on the result opens it from the cache). Cold: an empty "
         "browser cache. Warm: a second search typed "
         "on the results page. Compute: `search.js` in node with the files already in memory "
         "(inflate, parse, match, rank, snippets). Wall: local server, headless Chromium, until "
         "the results and their snippets are shown.\n")
for r in rows:
    L.append(f"### {r['items']} items\n")
    L.append("| search | index requests | index bytes | snippet pages | their bytes | all requests | all bytes | compute | wall |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    comp = {c["name"]: c["ms"] for c in r["compute"]}
    for v in r["visits"]:
        L.append(f"| {v['name']}: `{v['path']}` | {v['index_requests']:.0f} | {kb(v['index_bytes'])} "
                 f"| {v['page_requests']:.0f} | {kb(v['page_bytes'])} "
                 f"| {v['all_requests']:.0f} | {kb(v['all_bytes'])} | {comp.get(v['name'], 0):.1f} ms | {v['ms']:.0f} ms |")
    L.append("")
L.append("### Two-word searches beyond these\n")
L.append("`bench/search_requests.mjs`: 200 cold searches of two words taken from the titles of random "
         "items (seed 1), and 200 of two words of five letters or more taken from the texts of random items "
         "(mostly the archive's most common words), each without and with the item's committee as filter; "
         "index files read and their bytes as stored (gzip), in node.\n")
L.append("| items | filter | index requests: median / 90th percentile / most | searches under 5 requests | bytes: median / 90th percentile / most |")
L.append("| ---: | --- | ---: | ---: | ---: |")
for r in rows:
    for kind, label in (("plain", "none"), ("committee", "the item's committee"),
                        ("text_plain", "none; words of texts"),
                        ("text_committee", "the item's committee; words of texts")):
        q = r["requests"][kind]
        L.append(f"| {r['items']} | {label} | {q['requests']['median']} / {q['requests']['p90']} / {q['requests']['max']} "
                 f"| {q['under5'] * 100:.0f}% | {q['kb']['median']} / {q['kb']['p90']} / {q['kb']['max']} KB |")
L.append("")
big = max(rows, key=lambda r: r["items"])
vis = {v["name"]: v for v in big["visits"]}
comp = {c["name"]: c["ms"] for c in big["compute"]}
def check(ok):
    return "met" if ok else "**missed**"
L.append(f"## Targets at {big['items']} items\n")
one, two, warm = vis["one word"], vis["two words + committee"], vis["warm: another word"]
L.append(f"- Cold query ≤ 100 KB: one word {kb(one['index_bytes'])} index / {kb(one['all_bytes'])} with page, "
         f"two words + committee {kb(two['index_bytes'])} / {kb(two['all_bytes'])}: "
         f"{check(max(one['index_bytes'], two['index_bytes']) <= 100_000)} for the index.")
L.append(f"- Warm ≤ 30 KB: {kb(warm['all_bytes'])}: {check(warm['all_bytes'] <= 30_000)}.")
L.append(f"- Fewer than 5 requests for a cold query (index files): one word {one['index_requests']:.0f} "
         f"({check(one['index_requests'] < 5)}), two words + committee {two['index_requests']:.0f} "
         f"({check(two['index_requests'] < 5)}).")
for kind, label in (("plain", "two words from one title"), ("committee", "the same with a committee"),
                    ("text_plain", "two words of an item's text"), ("text_committee", "the same with a committee")):
    q = big["requests"][kind]
    L.append(f"- Fewer than 5 requests, {label} (200 random searches): {q['under5'] * 100:.0f}% of them, "
             f"at most {q['requests']['max']}: {check(q['requests']['max'] < 5)}.")
L.append(f"- Client compute < 50 ms: slowest {max(comp.values()):.1f} ms: {check(max(comp.values()) < 50)}.")
L.append(f"- Whole build with search ≤ 15 s: {big['full_s']:.1f} s: {check(big['full_s'] <= 15)}.")
L.append("\n### Files read by each cold search (last run, " + str(big["items"]) + " items)\n")
for v in big["visits"]:
    L.append(f"- {v['name']}: " + ", ".join(f"`{f}`" for f in v["files"]))
open(out + ".tmp", "w").write("\n".join(L) + "\n")
print(open(out + ".tmp").read())
PY
keep_history "$OUT.tmp" "$OUT"
