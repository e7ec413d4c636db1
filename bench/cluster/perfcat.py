# Summarises `perf script -F pid,tid,comm,ip,sym,dso` output per JVM: CPU by category and by thread.
# Usage: python3 bench/cluster/perfcat.py script.txt PID,PID,PID [category-to-detail]   (see profile.sh)
import sys, collections, re
path=sys.argv[1]; pids=set(sys.argv[2].split(',')); detail=sys.argv[3] if len(sys.argv)>3 else None
samples=[]; cur=None
for line in open(path, errors='replace'):
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if not line.startswith('\t') and not line.startswith(' '*4):
        m=re.match(r'(.*?)\s+(\d+)/(\d+)\s*$', line.rstrip())
        if m: cur=(m.group(1).strip(), m.group(2), []); continue
    if cur is not None:
        parts=line.strip().split(' ',1)
        if len(parts)==2: cur[2].append(parts[1])
if cur: samples.append(cur)
javacats=[('LogEntryCodec','cluster-codec'),('DatabaseStateMachine','apply'),('applyLogEntry','apply'),('LogEntryApplier','apply'),('TransactionMerger','merger'),
('dev/blitdb/storage','store'),('segmented','ratis-log'),('raftlog','ratis-log'),('protobuf','protobuf'),('io/netty','netty'),('io/grpc','grpc'),('org/apache/ratis','ratis'),
('jackson','json'),('dev/blitdb/blittable','blittable'),('io/undertow','undertow'),('org/xnio','xnio'),('dev/blitdb/server','server'),('dev/blitdb/cluster','cluster'),('jboss','jboss-threads')]
def kcat(st):
    s=' '.join(st)
    for k,n in [('fsync','k-fsync'),('fdatasync','k-fsync'),('msync','k-msync'),('futex','k-futex'),('epoll','k-epoll'),('sendmsg','k-net-send'),('sendto','k-net-send'),('ksys_write','k-write'),('writev','k-write'),('recvfrom','k-net-recv'),('recvmsg','k-net-recv'),('ksys_read','k-read'),('readv','k-read'),('page_fault','k-pagefault'),('asm_exc','k-pagefault'),('schedule','k-sched'),('sched_yield','k-yield'),('mmap','k-mmap'),('madvise','k-madvise'),('irq','k-irq')]:
        if k in s: return n
    return 'k-other'
def cat(comm, st):
    if comm.startswith('C2 Compiler') or comm.startswith('C1 Compiler'): return 'jit-compile'
    if comm.startswith('GC ') or comm.startswith('G1 '): return 'gc'
    if not st: return '?'
    if '[kernel' in st[0] or 'kallsyms' in st[0]:
        return kcat(st)
    for fr in st:
        for k,n in javacats:
            if k in fr: return n
    if 'libjvm' in st[0]: return 'jvm-other'
    if 'libc' in st[0]: return 'libc'
    return 'other'
tot=collections.Counter(); per=collections.defaultdict(collections.Counter); thr=collections.defaultdict(collections.Counter)
det=collections.Counter()
for comm,pid,st in samples:
    if pid not in pids: continue
    c=cat(comm,st); tot[pid]+=1; per[pid][c]+=1
    t=re.sub(r'\d+','N',comm); thr[pid][t]+=1
    if detail and c==detail: det[' < '.join(f.split(' (')[0][:70] for f in st[:6])]+=1
allsamples=len(samples)
for pid in sorted(tot):
    n=tot[pid]; print(f'pid {pid}: {n} samples ({n*100/allsamples:.1f}% of all)')
    print('  cats:', ', '.join(f'{k} {v*100/n:.1f}' for k,v in per[pid].most_common()))
    print('  threads:', ', '.join(f'{k} {v*100/n:.1f}' for k,v in thr[pid].most_common(12)))
for k,v in det.most_common(30): print(v,k)
