#!/usr/bin/env python3
# analyze.py SAMPLES: per thread group CPU-s during the import request and during the tail (request end -> index
# answers), machine idle core-seconds in each phase, and a 1 s timeline of index worker vs the rest.
import sys, re, collections
lines = open(sys.argv[1]).read().split('\n')
samples = []  # (t, idle_ticks_total, {tid:(name,ticks,nice)})
cur = None
marks = None
for l in lines:
    p = l.split()
    if not p: continue
    if p[0] == 'T':
        cpu = list(map(int, p[2:]))
        cur = (float(p[1]), cpu[3] + cpu[4], sum(cpu[:8]), {})
        samples.append(cur)
    elif p[0] == 'M':
        marks = list(map(float, p[1:]))
    else:
        cur[3][p[0]] = (p[1], int(p[2]), int(p[3]))
def group(name):
    for pat, g in [(r'^index/', 'index-worker'), (r'merg', 'merger'), (r'conver', 'converters'), (r'C2', 'C2'), (r'C1', 'C1'),
                   (r'GC|G1', 'gc'), (r'XNIO|worker|I/O|io', 'undertow/request'), (r'sync', 'syncer'), (r'Lucene|Merge', 'lucene-merge')]:
        if re.search(pat, name, re.I): return g
    return 'other:' + name
def state_at(t):
    """Each thread's ticks as last seen at or before t (a thread that ended keeps its last figure)."""
    seen = {}
    for smp in samples:
        if smp[0] > t + 1e-6: break
        for tid, v in smp[3].items(): seen[tid] = v
    return seen
def between(a, b):
    sa = min(samples, key=lambda s: abs(s[0] - a)); sb = min(samples, key=lambda s: abs(s[0] - b))
    A = state_at(sa[0]); B = state_at(sb[0])
    d = collections.Counter(); names = {}
    for tid, (n, t, nice) in B.items():
        t0 = A.get(tid, (n, 0, nice))[1]
        d[group(n)] += t - t0; names.setdefault(group(n), set()).add(n + '@' + str(nice))
    idle = (sb[1] - sa[1]) / 100.0; total = (sb[2] - sa[2]) / 100.0
    return sb[0] - sa[0], d, idle, total, names
t0, t1, t2 = marks
for label, a, b in [('request', t0, t1), ('tail', t1, t2)]:
    wall, d, idle, total, names = between(a, b)
    print('%s: wall %.2f s, machine idle %.2f core-s of %.2f' % (label, wall, idle, total))
    for g, v in d.most_common():
        if v >= 5: print('   %7.2f  %s  %s' % (v / 100.0, g, ' '.join(sorted(names[g]))[:150]))
print('timeline (1 s): t  idle-core-s  index  merger  conv  request  other')
t = t0
while t < t2:
    wall, d, idle, total, _ = between(t, min(t + 1, t2))
    other = sum(d.values()) - d['index-worker'] - d['merger'] - d['converters'] - d['undertow/request']
    print('%5.1f  %5.2f  %5.2f  %5.2f  %5.2f  %5.2f  %5.2f' % (t - t0, idle, d['index-worker'] / 100, d['merger'] / 100, d['converters'] / 100, d['undertow/request'] / 100, other / 100))
    t += 1
