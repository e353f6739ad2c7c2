#!/usr/bin/env python3
"""Measures `protokol serve`: edit-to-updated-page latency and peak memory.

Starts `protokol serve` on a site, then EDITS times: changes the title of an
agenda item file the way an editor saves it (write, close), and polls the
item's page over HTTP until the served page shows the new title. The time
from the file being saved to the new page being served is the latency.
Then it polls the served search index (manifest, and the metadata bundles
that results are shown from) until the new title is in it: the search
latency.
Prints one JSON object. Used by bench/serve.sh; Linux only (reads
/proc/<pid>/status for peak memory).
"""
import argparse
import glob
import gzip
import json
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
    """Whether the served search index is newer than `old_version` and shows
    `marker` in a result title. Returns (yes, version)."""
    status, body = fetch(base + "soeg/indeks/manifest.json")
    if status != 200:
        return False, None
    m = json.loads(body)
    if m["version"] == old_version:
        return False, m["version"]
    needle = marker.encode("utf-8")
    for b in range((m["docs"] + m["bundle"] - 1) // m["bundle"]):
        data = gzip.decompress(fetch_bytes(f"{base}soeg/indeks/m-{m['version']}-{b}.bin"))
        if needle in data:
            return True, m["version"]
    return False, m["version"]


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
    args = ap.parse_args()

    started = time.monotonic()
    proc = subprocess.Popen(
        [args.bin, "serve", "--port", "0", "--root", args.site],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = []
    reader = threading.Thread(
        target=lambda: [log.append(l.rstrip()) for l in proc.stderr], daemon=True
    )
    reader.start()
    first = proc.stdout.readline()
    m = re.match(r"Serving at (http://\S+)", first)
    if not m:
        proc.kill()
        sys.exit(f"serve did not start: {first!r}\n" + "\n".join(log))
    base = m.group(1)
    startup = time.monotonic() - started

    latencies = []
    search_latencies = []
    has_search = fetch(base + "soeg/indeks/manifest.json")[0] == 200
    items = pick_items(args.site, args.edits)
    originals = {}
    try:
        for i, path in enumerate(items):
            url = page_url(base, args.site, path)
            status, body = fetch(url)
            if status != 200:
                sys.exit(f"{url}: status {status} before editing")
            text = open(path, encoding="utf-8").read()
            originals[path] = text
            version = search_version(base) if has_search else None
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
                    sys.exit(f"{url}: the edit did not show within {POLL_TIMEOUT} s\n"
                             + "\n".join(log[-5:]))
                time.sleep(0.002)
            while has_search:
                found, _ = search_has(base, marker, version)
                if found:
                    search_latencies.append((time.monotonic() - saved) * 1000)
                    break
                if time.monotonic() - saved > POLL_TIMEOUT * 4:
                    sys.exit(f"the search index did not show edit {i} within {POLL_TIMEOUT * 4} s\n"
                             + "\n".join(log[-5:]))
                time.sleep(0.01)
        time.sleep(0.5)
        rss = peak_rss_mb(proc.pid)
    finally:
        for path, text in originals.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        time.sleep(1.0)  # the restore rebuilds too; keep it out of the next run
        proc.terminate()
        proc.wait()
        reader.join(timeout=5)

    rebuilds = [float(x) for x in re.findall(r"Rebuilt \d+ meeting folders?: .* in (\d+) ms",
                                               "\n".join(log))]
    full = re.search(r"Rebuilt everything: (\d+) files rendered.* in (\d+) ms", "\n".join(log))
    print(json.dumps({
        "site": args.site,
        "files": int(full.group(1)) if full else None,
        "startup_s": round(startup, 2),
        "first_build_ms": int(full.group(2)) if full else None,
        "latencies_ms": [round(x, 1) for x in latencies],
        "median_ms": round(statistics.median(latencies), 1),
        "max_ms": round(max(latencies), 1),
        "search_latencies_ms": [round(x, 1) for x in search_latencies],
        "search_median_ms": round(statistics.median(search_latencies), 1) if search_latencies else None,
        "rebuild_median_ms": statistics.median(rebuilds) if rebuilds else None,
        "peak_rss_mb": round(rss, 1) if rss else None,
        "phases": [l for l in log if l.startswith("Rebuilt 1 meeting")][:3],
        "deferred": [l for l in log if l.startswith("Caught up")][:3],
    }))


if __name__ == "__main__":
    main()
