# CPU of one JVM's threads (comm matching a regex) by frame, from `perf script -F comm,pid,tid,ip,sym` with call
# chains (bench/cluster/profile.sh PROFILER=perf): self samples (leaf) and inclusive samples (anywhere on the stack).
# Usage: python3 bench/cluster/frames.py stacks.txt PID THREAD_REGEX [TOP]
import sys, re, collections
path, pid, pat = sys.argv[1], sys.argv[2], sys.argv[3]
topn = int(sys.argv[4]) if len(sys.argv) > 4 else 30
selfc = collections.Counter(); incl = collections.Counter(); n = 0
comms = collections.Counter()
cur = None
def flush(st):
    global n
    if st is None: return
    n += 1
    if st:
        selfc[st[0]] += 1
    for s in set(st): incl[s] += 1
stack = None
for line in open(path, errors='replace'):
    if not line.strip():
        flush(stack); stack = None; continue
    if not line.startswith((' ', '\t')):
        flush(stack); stack = None
        m = re.match(r'(.*?)\s+(\d+)/(\d+)\s*$', line.rstrip())
        if m and m.group(2) == pid and re.search(pat, m.group(1)):
            stack = []; comms[re.sub(r'\d+','N',m.group(1).strip())] += 1
        continue
    if stack is not None:
        parts = line.strip().split(None, 1)
        sym = parts[1] if len(parts) > 1 else '?'
        sym = re.sub(r'\+0x[0-9a-f]+', '', sym)
        sym = re.sub(r'\s*\(.*\)$', '', sym)
        stack.append(sym[:150])
flush(stack)
print('samples', n, dict(comms.most_common(8)))
print('--- self'); [print(f'{c:5d} {100*c/n:5.1f}% {s}') for s, c in selfc.most_common(topn)]
print('--- inclusive'); [print(f'{c:5d} {100*c/n:5.1f}% {s}') for s, c in incl.most_common(topn)]
