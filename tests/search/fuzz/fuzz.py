#!/usr/bin/env python3
"""Fuzz the parity of `protokol search --json` and the browser client (search.js).

  cargo build --release --examples
  python3 tests/search/fuzz/fuzz.py --items N --seed S [--queries K] [--qseed Q] [--session]

Run by hand when the search changes (not in CI: thousands of queries take
minutes); exits non-zero on a mismatch. 2026-12-07: 21,189 queries over
eight archives of 300 to 40,000 items, no mismatch.

Generates an archive, adds negation items, builds it, generates queries from
its own words, and compares the CLI's and the client's terms, total and top
10 (and page 2) exactly as tests/search_parity.rs does (paths and doc numbers
in order)."""
import argparse, json, os, random, re, subprocess, sys, collections, concurrent.futures as cf

HERE = os.path.dirname(os.path.abspath(__file__))
P = os.environ.get('PROTOKOL', os.path.join(HERE, '..', '..', '..', 'target', 'release', 'protokol'))
GEN = os.environ.get('PROTOKOL_GEN_CORPUS', '/work/shared/tools/gen_corpus.py')

NEG_TEXTS = [
    ("Lokalplan for Grenaa ikke godkendt", "Ikke godkendt."),
    ("Takster", "Taksterne blev ikke godkendt, og sagen sendes tilbage."),
    ("Cykelsti ved Auning", "Godkendt, dog ikke for strækningen ved skolen."),
    ("Lokalplan godkendt", "Godkendt. Planen ændres ikke."),
    ("Budgetopfølgning", "Udvalget godkendte ikke budgetopfølgningen."),
]


def make_archive(root, items, seed):
    if not os.path.isdir(os.path.join(root, 'content')):
        subprocess.run(['python3', GEN, '--out', root, '--items', str(items), '--seed', str(seed)],
                       check=True, stdout=subprocess.DEVNULL)
        content = os.path.join(root, 'content')
        cs = sorted(d for d in os.listdir(content) if os.path.isfile(os.path.join(content, d, 'committee.toml')))
        for c, com in enumerate(cs[:2]):
            ms = sorted(d for d in os.listdir(os.path.join(content, com))
                        if os.path.isfile(os.path.join(content, com, d, 'meeting.toml')))
            for i, (title, dec) in enumerate(NEG_TEXTS):
                with open(os.path.join(content, com, ms[0], f'9{i}-negation.md'), 'w') as f:
                    f.write(f'+++\ntitle = "{title}"\ncase = "99/{c}{i}"\n+++\n\n'
                            '## Sagsfremstilling\nSagen er ikke ny. Forvaltningen har godkendt oplægget.\n\n'
                            f'## Beslutning\n{dec}\n')
        # Sprinkle negations into some decisions (deterministic).
        rnd = random.Random(seed * 7919)
        words = ['godkendt', 'godkendte', 'vedtaget', 'anbefalet', 'taget til efterretning', 'udsat']
        for dp, _, fs in sorted(os.walk(content)):
            for fn in sorted(fs):
                if not fn.endswith('.md') or fn.startswith('9') and 'negation' in fn:
                    continue
                if rnd.random() < 0.05:
                    p = os.path.join(dp, fn)
                    t = open(p).read()
                    w = rnd.choice(words)
                    s = rnd.choice([f'Forslaget blev ikke {w}.', f'{w.capitalize()} ikke.', f'Ikke {w}.',
                                    f'Sagen er ikke-{w}.', f'{w.capitalize()}, dog ej for budgettet.'])
                    if '## Beslutning' in t:
                        t = t.rstrip('\n') + '\n\n' + s + '\n'
                    else:
                        t = t.rstrip('\n') + '\n\n## Beslutning\n\n' + s + '\n'
                    open(p, 'w').write(t)
    pub = os.path.join(root, 'public')
    if not os.path.isfile(os.path.join(pub, 'soeg', 'indeks', 'manifest.json')):
        subprocess.run([P, 'build', '--root', root, '--output', pub], check=True, stdout=subprocess.DEVNULL)
    return pub


def archive_words(root):
    content = os.path.join(root, 'content')
    titles, body_words, cases, committees, years = [], collections.Counter(), set(), [], set()
    for com in sorted(os.listdir(content)):
        if os.path.isfile(os.path.join(content, com, 'committee.toml')):
            committees.append(com)
    for dp, _, fs in os.walk(content):
        for fn in fs:
            m = re.match(r'(\d{4})-\d\d-\d\d$', os.path.basename(dp))
            if m:
                years.add(int(m.group(1)))
            if not fn.endswith('.md'):
                continue
            t = open(os.path.join(dp, fn)).read()
            m = re.search(r'^title = "(.*)"', t, re.M)
            if m:
                titles.append(m.group(1))
            m = re.search(r'^case = "(.*)"', t, re.M)
            if m:
                cases.add(m.group(1))
            body = t.split('+++', 2)[-1]
            for w in re.findall(r'[^\W\d_]+', body):
                body_words[w] += 1
    return titles, body_words, sorted(cases), committees, sorted(years)


INFL = ['en', 'et', 'er', 'erne', 'ede', 'e', 's', 'ens', 'ernes', '']


def variants(w, rnd):
    r = rnd.random()
    if r < 0.3:
        return w.upper()
    if r < 0.6:
        return ''.join(c.upper() if rnd.random() < 0.5 else c.lower() for c in w)
    return w.capitalize()


def aa(w):
    return w.replace('å', 'aa').replace('Å', 'Aa')


def gen_queries(root, n, rnd):
    titles, bw, cases, committees, years = archive_words(root)
    common = [w for w, _ in bw.most_common(300)]
    allw = list(bw)
    title_words = [w for t in titles for w in re.findall(r'[^\W\d_]+', t) if len(w) > 2]
    aring = [w for w in set(title_words + allw) if re.search('[æøåÆØÅ]', w)]
    aaw = [w for w in aring if 'å' in w.lower()]
    def word():
        r = rnd.random()
        if r < 0.4:
            return rnd.choice(title_words)
        if r < 0.7:
            return rnd.choice(common)
        return rnd.choice(allw)
    def case():
        c = rnd.choice(cases)
        r = rnd.random()
        return c if r < 0.5 else c.replace('/', '-') if r < 0.8 else c.replace('/', '.')
    def punct(w):
        return rnd.choice(['"%s"', "'%s'", '(%s)', '%s,', '%s.', '%s!', '%s?', '«%s»', '%s;', '-%s-', '“%s”']) % w
    shapes = {
        'one': lambda: word(),
        'two': lambda: f'{word()} {word()}',
        'two_title': lambda: (lambda t: ' '.join(rnd.sample(t, 2)) if len(t) >= 2 else t[0])(
            re.findall(r'[^\W\d_]+', rnd.choice(titles))),
        'common_pair': lambda: ' '.join(rnd.sample(common[:60], 2)),
        'common_neg': lambda: rnd.choice(['ikke ', 'ej ', 'Ikke-']) + rnd.choice(common[:60]) if rnd.random() < 0.5 else rnd.choice(common[:60]) + rnd.choice([' ikke', ' ej', '-ikke']),
        'title_adjacent': lambda: (lambda t: ' '.join(t[i:i + 2]) if len(t) >= 2 else t[0])(
            (lambda t: (t, None))(re.findall(r'[^\W\d_]+', rnd.choice(titles)))[0]) if False else (lambda t: ' '.join(t[(i := rnd.randrange(max(1, len(t) - 1))):i + 2]))(re.findall(r'[^\W\d_]+', rnd.choice(titles))),
        'three': lambda: f'{word()} {word()} {word()}',
        'inflect': lambda: word().lower().rstrip('e') + rnd.choice(INFL),
        'case_mixed': lambda: ' '.join(variants(word(), rnd) for _ in range(rnd.randint(1, 2))),
        'aeoeaa': lambda: rnd.choice(aring) if aring else word(),
        'aa_spelling': lambda: aa(rnd.choice(aaw)) if aaw else word(),
        'caseno': lambda: case(),
        'caseno_words': lambda: ' '.join(rnd.sample([case(), word(), rnd.choice(['sag', 'Sag'])], rnd.randint(2, 3))),
        'caseno_missing': lambda: f'{rnd.randint(10, 30)}/{rnd.randint(1000, 99999)}' + rnd.choice(['', ' ' + word()]),
        'negation': lambda: rnd.choice(['ikke godkendt', 'godkendt ikke', 'ikke-godkendt', 'Ikke godkendt',
                                        'IKKE GODKENDT', 'ikke godkendte', 'blev ikke godkendt', 'ej vedtaget',
                                        'ikke vedtaget', 'vedtaget ikke', 'ikke  godkendt', 'ikke, godkendt',
                                        'ikke anbefalet', 'ikke udsat', 'ikke ' + word(), word() + ' ikke',
                                        'ikke-' + word(), 'ikke ' + word() + ' ' + word(), 'ikke', 'ej',
                                        'ikke ikke godkendt', 'ikke godkendt ikke', 'godkendt ikke godkendt',
                                        'ikke taget til efterretning', 'ikke\u00a0godkendt', 'ikke\tgodkendt']),
        'punct': lambda: ' '.join(punct(word()) for _ in range(rnd.randint(1, 2))),
        'nonexist': lambda: rnd.choice(['findesikke', 'xyzzyq', 'qqqq ' + word(), word() + ' blargh', 'ååå', 'zz']),
        'weird': lambda: rnd.choice([word() + '-' + word(), word() + '/' + word(), word().lower() + '123',
                                     'x' * rnd.randint(38, 42), word() + ' ' + 'y' * 45, '  ' + word() + '  ',
                                     word() + '\u200b' + word(), 'A\u030arhus ' + word(), '2010', str(rnd.choice(years)),
                                     word() + "'s", 'e-mail ' + word(), 'ikke ' + 'z' * 45 + ' godkendt',
                                     word() + ' ' + word() + ' ' + word() + ' ' + word(),
                                     word() + ' ' + word().lower(), word()[:3], word()[:1]]),
    }
    names = list(shapes)
    out = []
    for i in range(n):
        shape = names[i % len(names)]
        q = shapes[shape]()
        r = rnd.random()
        f = {}
        if r < 0.35:
            pass
        elif r < 0.55:
            f['committee'] = rnd.choice(committees)
        elif r < 0.7:
            f['year'] = rnd.choice(years + [1990] if rnd.random() < 0.05 else years)
        elif r < 0.8:
            f['decisions'] = True
        elif r < 0.92:
            f['committee'] = rnd.choice(committees)
            f['year'] = rnd.choice(years)
        else:
            f['committee'] = rnd.choice(committees)
            f['year'] = rnd.choice(years)
            f['decisions'] = True
        out.append(dict(q=q, shape=shape, **f))
    return out


def cli(root, q):
    cmd = [P, 'search', '--json', '--limit', '20', '--root', root]
    if q.get('committee'):
        cmd += ['--committee', q['committee']]
    if q.get('year'):
        cmd += ['--year', str(q['year'])]
    if q.get('decisions'):
        cmd += ['--decisions']
    cmd += ['--', q['q']]
    o = subprocess.run(cmd, capture_output=True)
    if o.returncode != 0:
        return {'error': o.stderr.decode()}
    try:
        return json.loads(o.stdout)
    except Exception:
        return {'error': 'bad json: %r %r %r' % (q, o.stdout[:200], o.stderr[:500])}


def session_outputs(root, qs):
    sroot = root + '_session'
    if not os.path.isdir(sroot):
        os.makedirs(sroot)
        subprocess.run(['cp', '-r', os.path.join(root, 'content'), os.path.join(root, 'config.toml'), sroot], check=True)
    exe = os.path.join(os.path.dirname(P), 'examples', 'search_session')
    inp = ''.join(json.dumps({k: q.get(k) for k in ('q', 'committee', 'year', 'decisions')}) + '\n' for q in qs)
    o = subprocess.run([exe, sroot], input=inp.encode(), capture_output=True, check=True)
    return [json.loads(l) for l in o.stdout.decode().splitlines()]


def client(pub, qs, tmp):
    req = []
    for q in qs:
        for page in (0, 1):
            req.append(dict(q=q['q'], committee=q.get('committee'), year=q.get('year'),
                            decisions=q.get('decisions', False), **{'from': 10 * page, 'to': 10 * page + 10}))
    with open(tmp, 'w') as f:
        json.dump({'queries': req}, f)
    o = subprocess.run(['node', os.path.join(HERE, 'client.mjs'), pub, tmp], capture_output=True, check=True)
    res = json.loads(o.stdout)
    return [(res[2 * i], res[2 * i + 1]) for i in range(len(qs))]


def key(results):
    return [(r['doc'], r['path']) for r in results]


def compare(c, b, page):
    """Mismatch description or None; c: CLI output (limit 20), b: client page."""
    if 'error' in b:
        return 'client error: ' + b['error'][:300]
    if c['terms'] != b['terms']:
        return f"terms {c['terms']} vs {b['terms']}"
    if c['total'] != b['total']:
        return f"total {c['total']} vs {b['total']}"
    cr = c['results'][10 * page:10 * page + 10]
    if key(cr) != key(b['results']):
        return 'order'
    for x, y in zip(cr, b['results']):
        if x['score'] != y['score']:
            return f"score of doc {x['doc']}: {x['score']!r} vs {y['score']!r}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--items', type=int, required=True)
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--queries', type=int, default=400)
    ap.add_argument('--qseed', type=int, default=1)
    ap.add_argument('--dir', default='/tmp/fz')
    ap.add_argument('--report', default=None)
    ap.add_argument('--session', action='store_true', help='CLI answers from one Session process (examples/search_session.rs), 40 checked against the binary')
    ap.add_argument('--shapes', default='', help='comma-separated shapes to keep')
    a = ap.parse_args()
    root = os.path.join(a.dir, f'g{a.items}_{a.seed}')
    pub = make_archive(root, a.items, a.seed)
    rnd = random.Random(a.qseed * 1000003 + a.seed)
    qs = gen_queries(root, a.queries * (1 if not a.shapes else 30), rnd)
    if a.shapes:
        keep = a.shapes.split(',')
        qs = [q for q in qs if q['shape'] in keep][:a.queries]
    if a.session:
        clis = session_outputs(root, qs)
        for i in range(0, len(qs), max(1, len(qs) // 40)):
            b = cli(root, qs[i])
            strip = lambda v: {k: v.get(k) for k in ('terms', 'total', 'results')}
            if strip(b) != strip(clis[i]):
                print('SESSION != BINARY for', qs[i])
    else:
        with cf.ThreadPoolExecutor(2) as ex:
            clis = list(ex.map(lambda q: cli(root, q), qs))
    tmp = os.path.join(root, f'req_{a.qseed}.json')
    bs = client(pub, qs, tmp)
    stats = collections.defaultdict(lambda: [0, 0])
    mism = []
    nonzero = [0, 0]
    paths_used = collections.Counter()
    for q, c, (b0, b1) in zip(qs, clis, bs):
        label = q['shape'] + ('+' + '+'.join(k for k in ('committee', 'year', 'decisions') if q.get(k)) if any(q.get(k) for k in ('committee', 'year', 'decisions')) else '')
        if 'error' in c:
            stats[label + ' (cli error)'][0] += 1
            print('CLI ERROR', q, c['error'][:600])
            continue
        found = []
        for mode in ('cold', 'warm'):
            d = compare(c, b0[mode], 0)
            if d:
                found.append((mode, 0, d, b0[mode]))
            if c['total'] > 10:
                d = compare(c, b1[mode], 1)
                if d:
                    found.append((mode, 1, d, b1[mode]))
        stats[label][0 if not found else 1] += 1
        for k in b0['cold'].get('kinds', ''):
            paths_used[k] += 1
        nonzero[0] += c['total'] > 0
        nonzero[1] += c['total'] > 10
        for f in found[:1] + [x for x in found[1:] if x[0] == 'cold' and x[1] == 1][:1]:
            mism.append(dict(archive=f'items={a.items} seed={a.seed}', query=q, mode=f[0], page=f[1] + 1, what=f[2],
                             cli_total=c['total'], cli_terms=c['terms'],
                             cli=[(r['doc'], r['path'], r['score']) for r in c['results'][10 * f[1]:10 * f[1] + 10]],
                             client_total=f[3].get('total'), client_terms=f[3].get('terms'),
                             client=[(r['doc'], r['path'], r['score']) for r in f[3].get('results', [])]))
    ok = sum(v[0] for v in stats.values())
    bad = sum(v[1] for v in stats.values())
    print(f'items={a.items} seed={a.seed} qseed={a.qseed}: {ok} ok, {bad} mismatched; {nonzero[0]} with results, {nonzero[1]} with >10; page-1 cold reads by file kind {dict(paths_used)}')
    rep = a.report or os.path.join(root, f'report_{a.qseed}.json')
    json.dump({'paths': paths_used, 'stats': stats, 'mismatches': mism}, open(rep, 'w'), ensure_ascii=False, indent=1)
    for m in mism[:15]:
        print(json.dumps({k: m[k] for k in ('query', 'mode', 'page', 'what', 'cli_total', 'client_total')}, ensure_ascii=False))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
