import json,sys,collections,subprocess,re
f=sys.argv[1]; thr=sys.argv[2]; anchor=sys.argv[3]
d=json.loads(subprocess.run(['jfr','print','--json','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout)
c=collections.Counter(); tot=0
for e in d['recording']['events']:
    v=e['values']; th=v['sampledThread']['javaName'] or ''
    if thr not in th: continue
    tot+=1
    fr=[x['method']['type']['name'].split('/')[-1]+'.'+x['method']['name'] for x in v['stackTrace']['frames']]
    # find the frame just above anchor (callee of anchor)
    for i,n in enumerate(fr):
        if n.endswith(anchor):
            c[fr[i-1] if i>0 else '(self)']+=1; break
    else: c['(no anchor) '+fr[-1] if fr else '?']+=1
print('samples',tot)
for k,n in c.most_common(25): print(f'{n:5d} {100*n/tot:5.1f}% {k}')
