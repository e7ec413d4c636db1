# CPU per Raft log entry of the Ratis + gRPC threads of each JVM, by what a sample is doing (first category whose
# regex matches its stack), from `perf script -F comm,pid,tid,ip,sym` with call chains.
# Usage: python3 bench/cluster/ratiscat.py stacks.txt HZ ENTRIES_IN_WINDOW name=PID [name=PID ...]
import sys, re, collections
path, hz, entries = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
pids = dict(a.split('=')[::-1] for a in sys.argv[4:])
threads = re.compile(r'@group|server-thread|client-thread|grpc-default')
cats = [('fsync (fdatasync)', r'fdatasync|force0'),
        ('segment write (file write + page cache)', r'FileDispatcherImpl\.write0|FileChannelImpl\.implWrite'),
        ('metrics (Dropwizard timers)', r'codahale'),
        ('checksum (PureJavaCrc32C)', r'PureJavaCrc32C'),
        ('waiting/waking threads (futex, park)', r'futex|LockSupport\.park|Unsafe\.park|pthread_cond'),
        ('gRPC/netty send (framing, writev, TCP)', r'WriteQueue|writevAddresses|invokeFlush|MessageFramer|Http2.*Encoder|FlowController|sendMessage'),
        ('gRPC/netty receive (read, HTTP/2 decode, deframe)', r'epollInReady|ByteToMessageDecoder|MessageDeframer|Http2FrameReader|onDataRead|readMessage|mergeFrom'),
        ('protobuf encode/size', r'protobuf|getSerializedSize|writeTo'),
        ('scheduler/epoll idle loop', r'epollWait|EpollEventLoop\.run|schedule'),
       ]
res = {p: collections.Counter() for p in pids}
cur = None; stack = []
def flush():
    if cur is None: return
    text = '\n'.join(stack)
    for name, rx in cats:
        if re.search(rx, text):
            res[cur][name] += 1; return
    res[cur]['other Ratis bookkeeping (log, leader state, appender, apply hand-over)'] += 1
for line in open(path, errors='replace'):
    if not line.strip():
        flush(); cur = None; stack = []; continue
    if not line.startswith((' ', '\t')):
        flush(); cur = None; stack = []
        m = re.match(r'(.*?)\s+(\d+)/(\d+)\s*$', line.rstrip())
        if m and m.group(2) in pids and threads.search(m.group(1)):
            cur = m.group(2)
        continue
    if cur is not None:
        stack.append(line.strip())
flush()
for p, name in pids.items():
    c = res[p]; tot = sum(c.values())
    print(f'{name}: {tot / hz * 1e6 / entries:.0f} us per entry in Ratis + gRPC threads')
    for k, v in c.most_common():
        print(f'    {k:70s} {v / hz * 1e6 / entries:6.0f} us ({100 * v / tot:4.1f} %)')
