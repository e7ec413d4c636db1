#!/usr/bin/env python3
# sample.py PID OUT STOPFILE: every 100 ms, per-thread utime+stime (ticks) of PID and /proc/stat's cpu line.
import os, sys, time
pid, out, stop = sys.argv[1], sys.argv[2], sys.argv[3]
with open(out, 'w') as f:
    while not os.path.exists(stop):
        t = time.time()
        with open('/proc/stat') as s:
            cpu = s.readline().split()[1:]
        f.write('T %.3f %s\n' % (t, ' '.join(cpu)))
        try:
            for tid in os.listdir('/proc/%s/task' % pid):
                try:
                    with open('/proc/%s/task/%s/stat' % (pid, tid)) as s:
                        st = s.read()
                except OSError:
                    continue
                name = st[st.index('(') + 1:st.rindex(')')].replace(' ', '_')
                rest = st[st.rindex(')') + 2:].split()
                f.write('%s %s %d %s\n' % (tid, name, int(rest[11]) + int(rest[12]), rest[16]))
        except OSError:
            break
        time.sleep(max(0, 0.1 - (time.time() - t)))
