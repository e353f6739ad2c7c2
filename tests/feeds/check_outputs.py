#!/usr/bin/env python3
"""Reads a built protokol site with independent parsers and reports what they saw.

    check_outputs.py <output-dir> <base-url> <oparl-schema-dir>

Every Atom feed is parsed with feedparser, every calendar with icalendar,
the sitemap with ElementTree, and every JSON file under oparl/ is validated
against the official OParl 1.1 schemas (objects embedded in other objects
too). Every URL found in the OParl export, the sitemap, the feeds and the
calendars, and every feed link in a page's head, must lead to a file in the
output. Prints one JSON document: what was parsed (for the Rust tests to
assert on) and a list of problems (which must be empty).
"""

import datetime
import html.parser
import json
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zoneinfo

import feedparser
import icalendar
import jsonschema

OUT, BASE, SCHEMA_DIR = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
problems = []
COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


def check_offset(stamp, where):
    """A local time must carry the offset the tz database gives Copenhagen."""
    if isinstance(stamp, str):
        stamp = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if not isinstance(stamp, datetime.datetime) or stamp.utcoffset() is None:
        return
    if stamp.utcoffset() == datetime.timedelta(0):
        return  # a UTC stamp (DTSTAMP, the epoch of an empty feed)
    want = stamp.replace(tzinfo=None).replace(tzinfo=COPENHAGEN).utcoffset()
    if stamp.utcoffset() != want:
        problem(f"{where}: {stamp.isoformat()} has offset {stamp.utcoffset()}, Copenhagen has {want}")


def problem(msg):
    problems.append(msg)


def url_to_file(url):
    """The output file a URL of the site is served from, or None."""
    if not url.startswith(BASE + "/"):
        return None
    path = urllib.parse.urlsplit(url).path
    base_path = urllib.parse.urlsplit(BASE + "/").path
    rel = urllib.parse.unquote(path[len(base_path):])
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return os.path.join(OUT, rel)


def root_to_file(href):
    """A root-relative link on a page (`/arkiv/feed.atom`)."""
    return url_to_file(BASE.split("/", 3)[0] + "//" + BASE.split("/", 3)[2] + href)


def must_resolve(url, where):
    f = url_to_file(url)
    if f is None:
        problem(f"{where}: {url} is not a URL of the site")
    elif not os.path.isfile(f):
        problem(f"{where}: {url} leads to no file ({f})")
    return f


all_files = []
for d, _, names in os.walk(OUT):
    for n in names:
        all_files.append(os.path.relpath(os.path.join(d, n), OUT).replace(os.sep, "/"))
all_files.sort()

# --- Atom feeds ------------------------------------------------------------
feeds = {}
for rel in all_files:
    if not rel.endswith(".atom"):
        continue
    raw = open(os.path.join(OUT, rel), "rb").read()
    try:
        ET.fromstring(raw)
    except ET.ParseError as e:
        problem(f"{rel}: not well-formed XML: {e}")
    d = feedparser.parse(raw)
    if d.bozo:
        problem(f"{rel}: feedparser: {d.bozo_exception}")
    if d.version != "atom10":
        problem(f"{rel}: feedparser sees version {d.version!r}, not atom10")
    self_links = [l.href for l in d.feed.get("links", []) if l.rel == "self"]
    if self_links != [BASE + "/" + urllib.parse.quote(rel)]:
        problem(f"{rel}: self link {self_links} is not the feed's own URL")
    alt = [l.href for l in d.feed.get("links", []) if l.rel == "alternate"]
    for a in alt:
        must_resolve(a, rel)
    entries = []
    for e in d.entries:
        must_resolve(e.link, f"{rel} entry {e.id}")
        up = e.get("updated_parsed")
        check_offset(e.updated, f"{rel} entry {e.id}")
        entries.append({
            "id": e.id,
            "title": e.title,
            "link": e.link,
            "updated": e.updated,
            "updated_utc": datetime.datetime(*up[:6]).isoformat() if up else None,
            "summary": e.get("summary", ""),
            "content": e.content[0].value if e.get("content") else "",
            "categories": [t.term for t in e.get("tags", [])],
        })
    ids = [e["id"] for e in entries]
    if len(ids) != len(set(ids)):
        problem(f"{rel}: entry ids repeat")
    feeds[rel] = {
        "title": d.feed.get("title"),
        "updated": d.feed.get("updated"),
        "language": d.feed.get("language"),
        "alternate": alt,
        "entries": entries,
    }

# --- iCalendar -------------------------------------------------------------
calendars = {}
for rel in all_files:
    if not rel.endswith(".ics"):
        continue
    raw = open(os.path.join(OUT, rel), "rb").read()
    if not raw.endswith(b"\r\n"):
        problem(f"{rel}: does not end with CRLF")
    for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        if b"\n" in line or b"\r" in line:
            problem(f"{rel}:{n}: bare line break")
        if len(line) > 75:
            problem(f"{rel}:{n}: {len(line)} octets, more than 75")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problem(f"{rel}:{n}: a fold split a UTF-8 character")
    cal = icalendar.Calendar.from_ical(raw)
    if str(cal.get("VERSION")) != "2.0":
        problem(f"{rel}: VERSION is not 2.0")
    tzids = [str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")]
    events = []
    for ev in cal.walk("VEVENT"):
        start = ev.get("DTSTART").dt
        end = ev.get("DTEND").dt if ev.get("DTEND") else None
        tz = ev.get("DTSTART").params.get("TZID")
        if isinstance(start, datetime.datetime):
            if tz not in tzids:
                problem(f"{rel}: DTSTART uses TZID {tz} without a VTIMEZONE")
            if start.utcoffset() is None:
                problem(f"{rel}: DTSTART {start} has no UTC offset")
            check_offset(start, f"{rel} {ev.get('UID')} DTSTART")
            if end is not None:
                check_offset(end, f"{rel} {ev.get('UID')} DTEND")
        must_resolve(str(ev.get("URL")), f"{rel} {ev.get('UID')}")
        events.append({
            "uid": str(ev.get("UID")),
            "summary": str(ev.get("SUMMARY")),
            "start": start.isoformat(),
            "start_tzid": tz,
            "end": end.isoformat() if end else None,
            "all_day": not isinstance(start, datetime.datetime),
            "status": str(ev.get("STATUS")) if ev.get("STATUS") else None,
            "location": str(ev.get("LOCATION")) if ev.get("LOCATION") else None,
            "url": str(ev.get("URL")),
            "description": str(ev.get("DESCRIPTION")) if ev.get("DESCRIPTION") else "",
            "dtstamp": ev.get("DTSTAMP").dt.isoformat(),
            "sequence": int(ev.get("SEQUENCE")) if ev.get("SEQUENCE") is not None else None,
        })
    uids = [e["uid"] for e in events]
    if len(uids) != len(set(uids)):
        problem(f"{rel}: UIDs repeat")
    calendars[rel] = {"name": str(cal.get("X-WR-CALNAME")), "tzids": tzids, "events": events}

# --- sitemap and robots.txt ----------------------------------------------------
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
sitemap_urls = []


def read_sitemap(rel):
    root = ET.parse(os.path.join(OUT, rel)).getroot()
    if root.tag == SM + "sitemapindex":
        for loc in root.iter(SM + "loc"):
            f = must_resolve(loc.text, rel)
            if f and os.path.isfile(f):
                read_sitemap(os.path.relpath(f, OUT))
    elif root.tag == SM + "urlset":
        locs = [loc.text for loc in root.iter(SM + "loc")]
        if len(locs) > 50000:
            problem(f"{rel}: {len(locs)} URLs, more than 50,000")
        for loc in locs:
            must_resolve(loc, rel)
        sitemap_urls.extend(locs)
    else:
        problem(f"{rel}: root element {root.tag}")


if os.path.isfile(os.path.join(OUT, "sitemap.xml")):
    read_sitemap("sitemap.xml")
else:
    problem("no sitemap.xml")
if len(sitemap_urls) != len(set(sitemap_urls)):
    problem("sitemap lists a URL twice")
robots = ""
if os.path.isfile(os.path.join(OUT, "robots.txt")):
    robots = open(os.path.join(OUT, "robots.txt"), encoding="utf-8").read()
    for m in re.finditer(r"^Sitemap:\s*(\S+)", robots, re.M):
        must_resolve(m.group(1), "robots.txt")

# --- feed links in pages -------------------------------------------------------


class HeadLinks(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.alternates = []
        self.visible = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type"), a.get("href")))
        if tag == "a" and (a.get("href") or "").endswith((".atom", ".ics")):
            self.visible.append(a.get("href"))


page_links = {}
for rel in all_files:
    if not rel.endswith(".html"):
        continue
    p = HeadLinks()
    p.feed(open(os.path.join(OUT, rel), encoding="utf-8").read())
    for typ, href in p.alternates:
        if typ != "application/atom+xml":
            problem(f"{rel}: alternate link of type {typ}")
        f = root_to_file(href)
        if not f or not os.path.isfile(f):
            problem(f"{rel}: alternate link {href} leads to no file")
    for href in p.visible:
        if href.startswith("webcal://"):
            f = url_to_file("https://" + href[len("webcal://"):]) if BASE.startswith("https://") \
                else url_to_file("http://" + href[len("webcal://"):])
        else:
            f = root_to_file(href)
        if not f or not os.path.isfile(f):
            problem(f"{rel}: link {href} leads to no file")
    page_links[rel] = {"alternate": [h for _, h in p.alternates], "visible": p.visible}

# --- OParl -------------------------------------------------------------------------
schemas = {}
for name in os.listdir(SCHEMA_DIR):
    if name.endswith(".json"):
        schemas[name[:-5]] = json.load(open(os.path.join(SCHEMA_DIR, name), encoding="utf-8"))
validators = {n: jsonschema.Draft202012Validator(s) for n, s in schemas.items()}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
TYPE_PREFIX = "https://schema.oparl.org/1.1/"
oparl_objects = {}  # id -> object, from every place it appears
oparl_urls = []
validated = {}


def check_formats(obj, schema, where):
    for key, prop in schema.get("properties", {}).items():
        if key not in obj:
            continue
        values = obj[key] if prop.get("type") == "array" else [obj[key]]
        fmt = prop.get("format") or prop.get("items", {}).get("format")
        for v in values:
            if not isinstance(v, str):
                continue
            if fmt == "date-time":
                if not RFC3339.match(v):
                    problem(f"{where}: {key} {v!r} is no RFC 3339 date-time")
                else:
                    check_offset(v, f"{where}: {key}")
            if fmt == "date":
                try:
                    datetime.date.fromisoformat(v)
                except ValueError:
                    problem(f"{where}: {key} {v!r} is no date")
            if fmt == "url":
                u = urllib.parse.urlsplit(v)
                if u.scheme not in ("http", "https") or not u.netloc or " " in v:
                    problem(f"{where}: {key} {v!r} is no URL")


def validate(obj, where, expected=None):
    """Validates an object and, recursively, the objects embedded in it."""
    if not isinstance(obj, dict) or not str(obj.get("type", "")).startswith(TYPE_PREFIX):
        problem(f"{where}: not an OParl object: {str(obj)[:80]}")
        return
    name = obj["type"][len(TYPE_PREFIX):]
    if expected and name != expected:
        problem(f"{where}: a {name} where the schema wants a {expected}")
    if name not in validators:
        problem(f"{where}: no schema for type {name}")
        return
    for err in validators[name].iter_errors(obj):
        problem(f"{where}: {name} {obj.get('id')}: {err.message}")
    check_formats(obj, schemas[name], where)
    validated[name] = validated.get(name, 0) + 1
    oparl_objects.setdefault(obj["id"], []).append(obj)
    for key, prop in schemas[name].get("properties", {}).items():
        if key not in obj:
            continue
        inner = prop.get("schema") if prop.get("type") == "object" else None
        items = prop.get("items", {}) if prop.get("type") == "array" else {}
        if inner:
            validate(obj[key], f"{where} > {key}", inner[:-5])
        elif items.get("type") == "object" and items.get("schema"):
            for i, o in enumerate(obj[key]):
                validate(o, f"{where} > {key}[{i}]", items["schema"][:-5])


def collect_urls(v):
    if isinstance(v, dict):
        for x in v.values():
            collect_urls(x)
    elif isinstance(v, list):
        for x in v:
            collect_urls(x)
    elif isinstance(v, str) and v.startswith(("http://", "https://")):
        # `type` and `oparlVersion` name the standard; they are not links.
        if not v.startswith("https://schema.oparl.org/"):
            oparl_urls.append(v)


list_pages = {}
object_files = {}
for rel in all_files:
    if not rel.startswith("oparl/"):
        continue
    if not rel.endswith(".json"):
        problem(f"{rel}: not a JSON file")
        continue
    raw = open(os.path.join(OUT, rel), "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problem(f"{rel}: starts with a byte order mark")
    doc = json.loads(raw.decode("utf-8"))
    collect_urls(doc)
    own_url = BASE + "/" + urllib.parse.quote(rel)
    if set(doc) >= {"data", "pagination", "links"}:
        list_pages[own_url] = doc
        if doc["links"].get("self") != own_url:
            problem(f"{rel}: links.self is {doc['links'].get('self')}")
        for i, o in enumerate(doc["data"]):
            validate(o, f"{rel} data[{i}]")
    else:
        validate(doc, rel)
        if doc.get("id") != own_url:
            problem(f"{rel}: id {doc.get('id')} is not the file's URL {own_url}")
        object_files[doc.get("id")] = doc

for url in sorted(set(oparl_urls)):
    must_resolve(url, "oparl")
# An object's id must lead to a file holding that object; where it is
# embedded it must say the same as its own file (less the back-reference).
for oid, copies in sorted(oparl_objects.items()):
    own = object_files.get(oid)
    if own is None:
        problem(f"oparl: {oid} has no file of its own")
        continue
    for c in copies:
        for k, v in c.items():
            if k in own and own[k] != v:
                problem(f"oparl: {oid}: {k} differs between its file and where it is embedded")

# Walk the export as a client would: system → bodies → body → every list, by links.next.
walk = {}
if os.path.isfile(os.path.join(OUT, "oparl/v1/system.json")):
    system = json.load(open(os.path.join(OUT, "oparl/v1/system.json"), encoding="utf-8"))

    def follow(url, label):
        seen, items, page, total = set(), [], url, None
        while page:
            if page in seen:
                problem(f"{label}: links.next loops at {page}")
                break
            seen.add(page)
            doc = list_pages.get(page)
            if doc is None:
                problem(f"{label}: {page} is no list page")
                break
            total = doc["pagination"].get("totalElements")
            items.extend(doc["data"])
            page = doc["links"].get("next")
        if total is not None and total != len(items):
            problem(f"{label}: totalElements {total}, but the pages hold {len(items)}")
        walk[label] = {"pages": len(seen), "items": len(items)}
        return items

    for body in follow(system["body"], "bodies"):
        for key in ("organization", "person", "meeting", "paper"):
            follow(body[key], key)
else:
    problem("no oparl/v1/system.json")


def by_type(name):
    return [o for o in object_files.values() if o["type"] == TYPE_PREFIX + name]


summary = {
    "problems": problems,
    "files": all_files,
    "feeds": feeds,
    "calendars": calendars,
    "sitemap": sorted(sitemap_urls),
    "robots": robots,
    "pages": page_links,
    "oparl": {
        "validated": validated,
        "walk": walk,
        "objects": {
            name: sorted(by_type(name), key=lambda o: o["id"])
            for name in ("Organization", "Person", "Membership", "Meeting", "AgendaItem",
                         "Paper", "Consultation", "File", "Location")
        },
        "system": object_files.get(BASE + "/oparl/v1/system.json"),
        "body": object_files.get(BASE + "/oparl/v1/body.json"),
    },
}
json.dump(summary, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
