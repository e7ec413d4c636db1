import re,collections,sys
txt=open(sys.argv[1]).read()
evs=txt.split('jdk.ExecutionSample')
h=collections.Counter(); cats=collections.Counter()
for e in evs[1:]:
    m=re.search(r'sampledThread = "([^"]+)"',e)
    t=m.group(1) if m else '?'
    frames=re.findall(r'^\s+([\w\.$<>]+)\(', e, re.M)
    if not frames: continue
    key=None
    for f in frames:
        if f.startswith('dev.blitdb'):
            key=f; break
    cat='other'
    for f in frames:
        if 'lucene' in f: cat='lucene'; break
        if 'BlitJsonWriter' in f or 'Lz4' in f: cat='json-out'; break
        if 'storage' in f: cat='store'; break
        if 'QueryRequest' in f or 'jackson' in f: cat='request-parse'; break
        if 'dev.blitdb' in f: cat='blitdb-other:'+f; break
    if cat=='other':
        cat='other:'+ ('IO:' if 'I/O' in t else 'task:')+frames[0]
    cats[cat]+=1
    h[key or ('IO:' if 'I/O' in t else 'task:')+frames[0]]+=1
n=len(evs)-1
print('samples',n)
for k,v in cats.most_common(40): print(v,k)
print('---- first blitdb frame')
for k,v in h.most_common(40): print(v,k)
