#!/usr/bin/env python3
"""Per run of an ab.sh log: each round's HTTPS/HTTP req/s, ratio and server CPU per request; then per jar the
median ratio and CPU of the warm rounds (round 1 is the JIT's)."""
import re, sys, statistics
runs, cur = [], None
for line in open(sys.argv[1]):
    if line.startswith('###'):
        _, i, name, t, *_ = line.split()
        cur = {'name': name, 'head': line.strip(), 'rounds': {}}
        runs.append(cur)
    elif line.startswith('== round'):
        m = re.match(r'== round (\d+) (\w+) (\S+) load: (.*)', line)
        r, scheme = int(m[1]), m[2]
        rnd = cur['rounds'].setdefault(r, {})
        rnd['load'] = m[4].strip()
        last = rnd.setdefault(scheme, {})
    elif 'Requests/sec' in line:
        last['rps'] = float(line.split()[1])
    elif line.startswith('server CPU'):
        last['cpu'] = float(line.split()[2])
per_jar = {}
for run in runs:
    print(run['head'])
    for r, rnd in sorted(run['rounds'].items()):
        if 'https' not in rnd or 'http' not in rnd or 'rps' not in rnd['https'] or 'rps' not in rnd['http']:
            continue
        s, p = rnd['https'], rnd['http']
        ratio = s['rps'] / p['rps']
        print(f"  round {r}: https {s['rps']:9.0f} http {p['rps']:9.0f} ratio {ratio:.3f}  cpu {s['cpu']:.1f} / {p['cpu']:.1f} us  load {rnd['load']}")
        if r > 1:
            per_jar.setdefault(run['name'], []).append((ratio, s['cpu'], p['cpu']))
for name, xs in per_jar.items():
    print(f"{name}: warm rounds {len(xs)}, median ratio {statistics.median(x[0] for x in xs):.3f}, "
          f"median cpu https {statistics.median(x[1] for x in xs):.2f} http {statistics.median(x[2] for x in xs):.2f} us, "
          f"median https-http {statistics.median(x[1]-x[2] for x in xs):.2f} us")
