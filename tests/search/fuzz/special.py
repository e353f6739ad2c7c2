#!/usr/bin/env python3
"""Hand-picked edge queries, each with and without filters, compared as fuzz.py compares.

  python3 tests/search/fuzz/special.py <archive folder made by fuzz.py>
"""
import json, os, sys, collections
sys.path.insert(0, os.path.dirname(__file__))
import fuzz

root = sys.argv[1]
pub = os.path.join(root, 'public')
titles, bw, cases, committees, years = fuzz.archive_words(root)
c0 = cases[0]
a, b = c0.split('/')
specials = ['', ' ', '\t', '!!!', '"', '-', '--', '—', 'ikke', 'IKKE', 'Ikke', 'ej', 'EJ', 'ikke ej', 'ej ikke',
    'ikke ikke', 'ikke-ikke', 'İkke godkendt', 'ikke\u2003godkendt', 'ikke\u200bgodkendt', 'ikke—godkendt',
    'ikke.godkendt', 'ikke/godkendt', 'ikke_godkendt', 'ikke--godkendt', 'ikke - godkendt', 'godkendt-ikke',
    'godkendt\nikke', 'ikke godkendt ej vedtaget', 'ej godkendt', 'ej godkendt ikke', 'ikke godkendt godkendt',
    'ikke 2010', '2010 ikke', f'ikke {c0}', f'{c0} ikke godkendt', f'{c0} {c0}', f'{c0} {a}-{b}', f'{a} / {b}',
    f'{a}//{b}', f'{a}/{b}/', f'/{a}/{b}', f'({c0})', f'"{c0}"', f'{c0}.', f'{a}.{b}', f'{a}_{b}', f'{a}/{b}x',
    f'sag{c0}', f'{a}/{b} {a}/{int(b)+1}', f'{c0} findesikke', f'{c0} lokalplan', f'lokalplan {c0}',
    '\uff12\uff14/\uff12\uff17\uff17', '٢٤/٢٧٧', 'A\u030arhus', 'Aarhus', 'AARHUS', 'århus', 'Århus',
    'aaa', 'aaaa', 'Aa', 'x' * 39, 'x' * 40, 'ø' * 19, 'ø' * 20, 'lokalplan ' * 30,
    ' '.join(list(bw)[:25]), 'Σ', 'ΣΊΣΥΦΟΣ', 'ﬁnans', 'naïve', 'e-mail', "udvalget's", 'udvalget’s',
    '½', '²', 'ⅷ', '2010', '2011', '10', '1', 'lokalplan-grenaa', 'lokalplan/grenaa', 'lokalplan,grenaa',
    'Økonomiudvalget', 'økonomiudvalget', 'ØU', 'øu', 'udvalg', 'kommunalbestyrelsen', 'sag', 'Sag',
    'Beslutning', 'beslutning', 'Indstilling', 'bilag', 'punkt', 'taget til efterretning', 'efterretning']
qs = []
for q in specials:
    qs.append(dict(q=q, shape='special'))
    qs.append(dict(q=q, shape='special', committee=committees[0]))
    qs.append(dict(q=q, shape='special', committee=committees[1], year=years[0]))
    qs.append(dict(q=q, shape='special', year=years[-1]))
    qs.append(dict(q=q, shape='special', decisions=True))
clis = fuzz.session_outputs(root, qs)
bs = fuzz.client(pub, qs, os.path.join(root, 'special.json'))
bad = 0
for q, c, (b0, b1) in zip(qs, clis, bs):
    if 'error' in c:
        print('CLI error', q, c['error']); continue
    for mode in ('cold', 'warm'):
        for page, bb in ((0, b0), (1, b1)):
            if page == 1 and c['total'] <= 10:
                continue
            d = fuzz.compare(c, bb[mode], page)
            if d:
                bad += 1
                print('MISMATCH', json.dumps(q, ensure_ascii=False), mode, page + 1, d, c['total'], bb[mode].get('total'))
print(len(qs), 'special queries;', bad, 'mismatches')
sys.exit(1 if bad else 0)
