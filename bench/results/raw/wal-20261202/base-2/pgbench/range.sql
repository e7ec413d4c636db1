\set c random(0, 49)
\set lo random(18, 74)
SELECT data FROM docs WHERE data->>'City' = 'city-' || :c AND (data->>'Age')::int BETWEEN :lo::int AND :lo::int + 5 ORDER BY (data->>'Age')::int LIMIT 25;
