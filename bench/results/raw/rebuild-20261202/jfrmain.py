import sys, re, collections
txt=open(sys.argv[1]).read()
c=collections.Counter()
for ev in txt.split("jdk.ExecutionSample {")[1:]:
    th=re.search(r'sampledThread = "([^"]*)"',ev).group(1)
    if th!='main': continue
    st=ev.split("stackTrace = [")[1]
    for m in ("rawLucene","jacksonLucene","Extracted.from","TreeWalker","blitdbRebuild","compareConfigs"):
        if m in st:
            sub="entry()" if "IndexingBenchmark.entry" in st else ("commit" if "IndexWriter.commit" in st else ("flush" if re.search("DocumentsWriter.preUpdate|DocumentsWriter.postUpdate|doFlush|DocumentsWriterPerThread.flush",st) else ("add" if "addDocument" in st else "other")))
            c[(m,sub)]+=1; break
    else: c[("?","")]+=1
for k,v in sorted(c.items()): print(v,k)
