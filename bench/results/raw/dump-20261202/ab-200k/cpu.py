import os,sys,time,re,collections
pid=sys.argv[1]; out=sys.argv[2]
def snap():
    d={}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s=open(f'/proc/{pid}/task/{t}/stat').read()
            name=open(f'/proc/{pid}/task/{t}/comm').read().strip()
        except Exception: continue
        f=s[s.rindex(')')+2:].split()
        d[t]=(re.sub(r'\d+','N',name), int(f[11])+int(f[12]))
    return d
a=snap(); t0=time.time()
open(out+'.start','w').write('x')
while not os.path.exists(out+'.stop'): time.sleep(0.2)
b=snap(); t1=time.time()
agg=collections.Counter()
for t,(n,c) in b.items():
    agg[n]+= c - a.get(t,(n,0))[1]
hz=os.sysconf('SC_CLK_TCK')
with open(out,'w') as f:
    f.write(f'wall {t1-t0:.2f} s, cpu {sum(agg.values())/hz:.2f} s\n')
    for n,c in agg.most_common(12): f.write(f'{c/hz:8.2f} s {n}\n')
