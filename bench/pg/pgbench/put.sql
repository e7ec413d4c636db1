\set k random(1, :ndocs)
\set c random(0, 49)
\set a random(18, 79)
INSERT INTO docs (id, data) VALUES ('docs/' || :k, jsonb_build_object('Name', 'name-' || :k, 'City', 'city-' || :c, 'Age', :a::int, 'Email', 'user' || :k || '@example.com', 'Active', true, 'Tags', jsonb_build_array('put', 'bench'), 'Bio', '@BIO@')) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data;
