\set k random(1, :ndocs)
SELECT data FROM docs WHERE id = 'docs/' || :k;
