#!/usr/bin/env python3
"""Measures `protokol serve`: edit-to-updated-page latency, edit-to-search
latency and peak memory.

Starts `protokol serve` on a site, then EDITS times: changes the title of an
agenda item file the way an editor saves it (write, close), and polls the
item's page over HTTP until the served page shows the new title. The time
from the file being saved to the new page being served is the latency.

Search latency: from the file being saved until the served search index
shows the new title: in the search delta of the manifest (which an
update writes in the same step as the pages) or, after a full export, in
its metadata bundles; polled every 2 ms once the page shows it. Then the
browser client itself checks what a visitor sees: search.js run in node
(tests/search/served.mjs) searches for the marker words of the new title
as a visitor loading the search page again (manifest and delta fetched
anew, content-hashed shards from the cache, as a browser has them); its
time for that search is reported too, and whether it came from the
delta. Last it waits for the full export that follows once edits pause
("Caught up (search)" in the server's log): the full-export latency, and
the state the next edit starts from.
Prints one JSON object. Used by bench/serve.sh; Linux only (reads
/proc/<pid>/status for peak memory).
"""
import argparse
import base64
import glob
import gzip
import json
import shutil
import tempfile
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

POLL_TIMEOUT = 30.0


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""


def fetch_bytes(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def search_version(base):
    status, body = fetch(base + "soeg/indeks/manifest.json")
    return json.loads(body)["version"] if status == 200 else None


def search_has(base, marker, old_version):
    """Whether the served search index shows `marker` in a result title:
    in the manifest's search delta, or, when the manifest is newer than
    `old_version`, in the metadata bundles of the new export. Returns
    (yes, from the delta)."""
    status, body = fetch(base + "soeg/indeks/manifest.json")
    if status != 200:
        return False, False
    m = json.loads(body)
    needle = marker.encode("utf-8")
    delta = m.get("delta")
    if delta:
        if "inline" in delta:
            data = base64.b64decode(delta["inline"])
        else:
            data = fetch_bytes(f"{base}soeg/indeks/{delta['file']}")
        if needle in gzip.decompress(data):
            return True, True
    if m["version"] == old_version:
        return False, False
    for b in range((m["docs"] + m["bundle"] - 1) // m["bundle"]):
        data = gzip.decompress(fetch_bytes(f"{base}soeg/indeks/m-{m['version']}-{b}.bin"))
        if needle in data:
            return True, False
    return False, False


def client_search(base, query, title, workdir):
    """The browser client searching the served site until a result's title
    holds `title` (tests/search/served.mjs); its report, or None without
    node."""
    if shutil.which("node") is None:
        return None
    spec = os.path.join(workdir, "spec.json")
    with open(spec, "w", encoding="utf-8") as f:
        json.dump({"queries": [{"q": query, "has": title}], "warm": True,
                   "timeout_ms": POLL_TIMEOUT * 1000, "interval_ms": 10}, f)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "search", "served.mjs")
    out = subprocess.run(["node", script, base, spec], capture_output=True, text=True,
                         timeout=POLL_TIMEOUT * 2)
    if out.returncode != 0:
        sys.exit(f"the search client did not show {title!r}: {out.stderr}")
    return json.loads(out.stdout)


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def pick_items(site, n):
    files = sorted(glob.glob(os.path.join(site, "content", "*", "*", "*.md")))
    files = [f for f in files if "/pages/" not in f]
    step = max(1, len(files) // n)
    picked = []
    for f in files[::step]:
        text = open(f, encoding="utf-8").read()
        if re.search(r"^closed = true", text, re.M):
            continue  # a closed item has no page
        picked.append(f)
        if len(picked) == n:
            break
    return picked


def page_url(base, site, path):
    rel = os.path.relpath(path, os.path.join(site, "content"))
    return base + rel[: -len(".md")] + "/"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--during-export", action="store_true",
                    help="save each next edit while the full search export of the last one runs "
                         "(it starts once edits pause for 1 s), instead of after it")
    args = ap.parse_args()

    started = time.monotonic()
    proc = subprocess.Popen(
        [args.bin, "serve", "--port", "0", "--root", args.site],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = []  # (time.monotonic(), line)
    reader = threading.Thread(
        target=lambda: [log.append((time.monotonic(), l.rstrip())) for l in proc.stderr], daemon=True
    )
    reader.start()
    first = proc.stdout.readline()
    m = re.match(r"Serving at (http://\S+)", first)
    if not m:
        proc.kill()
        sys.exit(f"serve did not start: {first!r}\n" + "\n".join(l for _, l in log))
    base = m.group(1)
    startup = time.monotonic() - started

    latencies = []
    search_latencies = []
    client_ms = []
    client_from_delta = []
    full_latencies = []
    has_search = fetch(base + "soeg/indeks/manifest.json")[0] == 200
    items = pick_items(args.site, args.edits)
    originals = {}
    workdir = tempfile.mkdtemp(prefix="serve-latency-")

    def caught_up():
        return [t for t, l in log if l.startswith("Caught up")]

    def tail():
        return "\n".join(l for _, l in log[-5:])

    try:
        for i, path in enumerate(items):
            url = page_url(base, args.site, path)
            status, body = fetch(url)
            if status != 200:
                sys.exit(f"{url}: status {status} before editing")
            text = open(path, encoding="utf-8").read()
            originals[path] = text
            version = search_version(base) if has_search else None
            full_runs = len(caught_up())
            marker = f"Redigeret {i} {time.time_ns()}"
            new = re.sub(r'^title = "(.*)"$', lambda t: f'title = "{t.group(1)} {marker}"',
                         text, count=1, flags=re.M)
            time.sleep(0.5)  # let the previous edit settle
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            saved = time.monotonic()
            while True:
                status, body = fetch(url)
                if marker in body:
                    latencies.append((time.monotonic() - saved) * 1000)
                    break
                if time.monotonic() - saved > POLL_TIMEOUT:
                    sys.exit(f"{url}: the edit did not show within {POLL_TIMEOUT} s\n" + tail())
                time.sleep(0.002)
            while has_search:
                found, from_delta = search_has(base, marker, version)
                if found:
                    search_latencies.append((time.monotonic() - saved) * 1000)
                    break
                if time.monotonic() - saved > POLL_TIMEOUT * 4:
                    sys.exit(f"the search index did not show edit {i} within {POLL_TIMEOUT * 4} s\n"
                             + tail())
                time.sleep(0.002)
            seen = client_search(base, marker, marker, workdir) if has_search else None
            if seen:
                client_ms.append(seen["search_ms"])
                client_from_delta.append(seen["delta"])
            if args.during_export and i + 1 < len(items):
                # The next edit (after the 0.5 s above) lands 3 s after this
                # save: inside the full export, which starts after 1 s.
                time.sleep(max(0.0, 2.5 - (time.monotonic() - saved)))
                continue
            # The full export once edits pause: the next edit starts after it.
            while has_search and len(caught_up()) == full_runs:
                if time.monotonic() - saved > POLL_TIMEOUT * 4:
                    sys.exit(f"no full search export after edit {i}\n" + tail())
                time.sleep(0.01)
            if has_search:
                full_latencies.append((caught_up()[full_runs] - saved) * 1000)
        time.sleep(0.5)
        rss = peak_rss_mb(proc.pid)
    finally:
        for path, text in originals.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        # The restore rebuilds too, and the full export after it; keep
        # them out of the next run.
        time.sleep(3.0 if has_search else 1.0)
        proc.terminate()
        proc.wait()
        reader.join(timeout=5)
        shutil.rmtree(workdir, ignore_errors=True)

    lines = "\n".join(l for _, l in log)
    rebuilds = [float(x) for x in re.findall(r"Rebuilt \d+ meeting folders?: .* in (\d+) ms", lines)]
    full = re.search(r"Rebuilt everything: (\d+) files rendered.* in (\d+) ms", lines)
    median = lambda xs: round(statistics.median(xs), 1) if xs else None
    print(json.dumps({
        "site": args.site,
        "files": int(full.group(1)) if full else None,
        "startup_s": round(startup, 2),
        "first_build_ms": int(full.group(2)) if full else None,
        "latencies_ms": [round(x, 1) for x in latencies],
        "median_ms": median(latencies),
        "max_ms": round(max(latencies), 1),
        "search_latencies_ms": [round(x, 1) for x in search_latencies],
        "search_median_ms": median(search_latencies),
        "search_max_ms": round(max(search_latencies), 1) if search_latencies else None,
        "client_search_ms": client_ms,
        "client_search_median_ms": median(client_ms),
        "client_from_delta": client_from_delta,
        "search_full_latencies_ms": [round(x, 1) for x in full_latencies],
        "search_full_median_ms": median(full_latencies),
        "rebuild_median_ms": statistics.median(rebuilds) if rebuilds else None,
        "peak_rss_mb": round(rss, 1) if rss else None,
        "phases": [l for _, l in log if l.startswith("Rebuilt 1 meeting")][:3],
        "deferred": [l for _, l in log if l.startswith("Caught up")][:3],
    }))


if __name__ == "__main__":
    main()
