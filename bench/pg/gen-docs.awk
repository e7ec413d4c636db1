# Writes the benchmark's documents twice, with the same content: NDJSON for BlitDB's bulk_insert (with
# @metadata) and "id<TAB>json" for PostgreSQL's COPY (text format; the JSON has no tab, newline or backslash).
# Deterministic (seed 42). Usage: awk -v n=100000 -v ndjson=F -v tsv=F -f gen-docs.awk
BEGIN {
  srand(42)
  nw = split("database document index query storage page commit merger lucene field value record " \
             "server client network cluster replica snapshot backup engine memory mapped segment " \
             "buffer thread worker priority stale fresh column row table schema key range order " \
             "limit offset search token analyser keyword number string boolean array object", w, " ")
  for (i = 1; i <= n; i++) {
    bio = ""
    while (length(bio) < 800) bio = bio w[1 + int(rand() * nw)] " "
    body = "\"Name\":\"name-" i "\",\"City\":\"city-" int(rand() * 50) "\",\"Age\":" (18 + int(rand() * 62)) \
           ",\"Email\":\"user" i "@example.com\",\"Active\":" (rand() < 0.5 ? "true" : "false") \
           ",\"Tags\":[\"" w[1 + int(rand() * nw)] "\",\"" w[1 + int(rand() * nw)] "\"],\"Bio\":\"" bio "\""
    print "{" body ",\"@metadata\":{\"@collection\":\"Docs\",\"@id\":\"docs/" i "\"}}" > ndjson
    print "docs/" i "\t{" body "}" > tsv
  }
}
