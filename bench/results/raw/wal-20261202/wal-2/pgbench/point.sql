\set n random(1, :ndocs)
SELECT data FROM docs WHERE data->>'Name' = 'name-' || :n LIMIT 1;
