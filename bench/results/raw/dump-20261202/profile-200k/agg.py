import json,sys,collections,subprocess
f=sys.argv[1]; depth=int(sys.argv[2]) if len(sys.argv)>2 else 1
out=subprocess.run(['jfr','print','--json','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout
d=json.loads(out)
ev=d['recording']['events']
byth=collections.Counter(); top=collections.Counter(); 
for e in ev:
    v=e['values']; th=v['sampledThread']['javaName'] or v['sampledThread']['osName']
    import re; th=re.sub(r'\d+','N',th)
    byth[th]+=1
    fr=v['stackTrace']['frames'] if v['stackTrace'] else []
    names=[x['method']['type']['name'].split('.')[-1]+'.'+x['method']['name'] for x in fr[:depth]]
    top[(th,' < '.join(names))]+=1
tot=len(ev); print('total',tot)
for t,c in byth.most_common(15): print(f'{c:6d} {100*c/tot:5.1f}% {t}')
print()
for (t,n),c in top.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 40): print(f'{c:6d} {100*c/tot:5.1f}% {t[:30]:30s} {n}')
