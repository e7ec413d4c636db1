import sys, re, collections
txt = open(sys.argv[1]).read()
pat = re.compile(sys.argv[2])
cats = [  # first match (outermost-first priority list)
 ("commit", "LuceneIndex.commit"),
 ("refresh", "LuceneIndex.refresh"),
 ("flush-in-add", "DocumentsWriter.preUpdate|DocumentsWriter.postUpdate|DocumentsWriter.doFlush|DocumentsWriterPerThread.flush"),
 ("addDocument", "IndexWriter.addDocument|IndexWriter.updateDocument"),
 ("entry-read", "BlitEntryReader.read"),
 ("prefetch", "IndexWorker.prefetch"),
 ("walk-next", "DocumentIterator.next"),
 ("store-open", "IndexManager|LuceneIndex.open"),
]
per = collections.defaultdict(collections.Counter)
for ev in txt.split("jdk.ExecutionSample {")[1:]:
    m = re.search(r'sampledThread = "([^"]*)" \(javaThreadId = (\d+)\)', ev)
    if not m or not pat.search(m.group(1)): continue
    st = ev.split("stackTrace = [")[1]
    c = "other"
    for name, rx in cats:
        if re.search(rx, st): c = name; break
    per[m.group(2)][c] += 1
for t, cnt in per.items():
    n = sum(cnt.values())
    print("thread", t, "samples", n, " ".join(f"{k}={v}({100*v/n:.0f}%)" for k, v in cnt.most_common()))
