# CPU microseconds per acknowledged write, per JVM and per thread group, from `perf script -F pid,tid,comm,ip,sym,dso`
# output of a `perf record -a -F HZ` taken while one side of bench/run-cluster.sh ran (PERF_ROUND there).
# Usage: python3 bench/cluster/threadcost.py script.txt HZ SECONDS REQ_PER_S name=PID [name=PID ...]
# One sample = 1/HZ s of one CPU; writes in the window = REQ_PER_S * SECONDS (wrk's figure for the whole round).
import sys, re, collections
path, hz, seconds, rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
names = dict(a.split('=')[::-1] for a in sys.argv[5:])  # pid -> name
writes = rate * seconds
groups = [('XNIO-N task', 'http-worker'), ('XNIO-N I/O', 'http-io'), ('blitdb-merger', 'store-merger'),
          ('blitdb-sync', 'store-sync'), ('blitdb-checkpoi', 'store-checkpoint'), ('blitdb-apply', 'raft-applier'),
          ('blitdb-proposer', 'raft-proposer'), ('@group', 'ratis-log+appender'), ('server-thread', 'ratis-server'),
          ('client-thread', 'ratis-client'), ('grpc-default', 'grpc'), ('CN CompilerThre', 'jit'),
          ('VM Thread', 'jvm'), ('GC', 'jvm')]
cost = collections.defaultdict(collections.Counter)
cur = None
for line in open(path, errors='replace'):
    if line.startswith((' ', '\t')) or not line.strip():
        continue
    m = re.match(r'(.*?)\s+(\d+)/(\d+)\s*$', line.rstrip())
    if m and m.group(2) in names:
        comm = re.sub(r'\d+', 'N', m.group(1).strip())
        group = next((g for k, g in groups if k in comm), 'other:' + comm[:15])
        cost[m.group(2)][group] += 1
for pid, name in names.items():
    c = cost[pid]
    total = sum(c.values()) / hz * 1e6 / writes
    parts = ', '.join(f'{g} {n / hz * 1e6 / writes:.1f}' for g, n in c.most_common() if n / hz * 1e6 / writes >= 0.5)
    print(f'{name} (pid {pid}): {total:.0f} us/write: {parts}')
