-- dllb.record: text forms, ordering, parts, constructors, binary I/O, errors.

-- every key form round-trips through text
SELECT r::dllb.record AS id, dllb.tb(r::dllb.record), dllb.key(r::dllb.record),
       (r::dllb.record)::text::dllb.record = r::dllb.record AS roundtrip
FROM (VALUES ('user:42'), ('user:-7'), ('user:alice'), ('user:⟨John Smith⟩'),
             ('user:`John Smith`'), ('user:u''8c4e1b2a-0000-4000-8000-000000000001'''),
             ('user:u"8C4E1B2A-0000-4000-8000-000000000001"'),
             ('user:⟨42⟩'), ('user:⟨a\⟩b\\c⟩'), ('t_1:_x'), ('user:⟨⟩'),
             ('  user:1  '), ('user:9223372036854775807'),
             ('user:-9223372036854775808')) v(r);

-- identifiers and bracketed strings are the same key
SELECT 'user:john'::dllb.record = 'user:⟨john⟩'::dllb.record AS same,
       'user:john'::dllb.record = 'user:`john`'::dllb.record AS same_backtick,
       'user:42'::dllb.record = 'user:⟨42⟩'::dllb.record AS int_is_not_string;

-- order: table, then integers numerically, then strings, then uuids
SELECT r FROM (VALUES ('a:2'::dllb.record), ('a:10'), ('a:b'), ('a:⟨10⟩'),
                      ('b:1'), ('aa:0'), ('a:-3'),
                      ('a:u''00000000-0000-0000-0000-000000000001''')) v(r)
ORDER BY r;

-- btree and hash indexes, hash joins and merge joins
CREATE TABLE rec_t (id dllb.record PRIMARY KEY, n int);
INSERT INTO rec_t SELECT dllb.record('t', g), g FROM generate_series(1, 1000) g;
INSERT INTO rec_t SELECT dllb.record('t', 'k' || g), g FROM generate_series(1, 1000) g;
CREATE INDEX rec_t_hash ON rec_t USING hash (id);
ANALYZE rec_t;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT n FROM rec_t WHERE id = 't:500';
SELECT n FROM rec_t WHERE id = 't:500';
SELECT n FROM rec_t WHERE id = 't:k500';
SELECT count(*) FROM rec_t WHERE id < 't:a';
RESET enable_seqscan;
SET enable_mergejoin = off; SET enable_nestloop = off;
SELECT count(*) FROM rec_t a JOIN rec_t b ON a.id = b.id;
RESET enable_mergejoin; SET enable_hashjoin = off;
SELECT count(*) FROM rec_t a JOIN rec_t b ON a.id = b.id;
RESET enable_hashjoin; RESET enable_nestloop;
SELECT count(DISTINCT id) FROM rec_t;
SELECT dllb.min(id), dllb.max(id) FROM rec_t;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT dllb.max(id) FROM rec_t;
RESET enable_seqscan;

-- constructors
SELECT dllb.record('user', '12'::jsonb) AS int_key,
       dllb.record('user', '"x y"'::jsonb) AS string_key,
       dllb.record('user', 'alice') AS text_key,
       dllb.record('user', 7::bigint) AS bigint_key,
       dllb.record('user', '8c4e1b2a-0000-4000-8000-000000000001'::uuid) AS uuid_key,
       dllb.record('user', dllb.key('user:⟨odd key⟩')) = 'user:⟨odd key⟩' AS key_roundtrip;

-- binary send and receive
CREATE TABLE rec_bin (id dllb.record);
INSERT INTO rec_bin VALUES ('a:1'), ('a:⟨x y⟩'), ('a:u''8c4e1b2a-0000-4000-8000-000000000001'''), ('b:-5');
SELECT dllb.record_send('a:1');
-- (psql's \copy: a client-side file, which any role may use, in the
-- folder the test command runs the suite in)
\copy rec_bin TO 'model_record.bin' (FORMAT binary)
CREATE TEMP TABLE rec_bin2 (id dllb.record);
\copy rec_bin2 FROM 'model_record.bin' (FORMAT binary)
SELECT a.id, b.id IS NOT NULL AS received FROM rec_bin a LEFT JOIN rec_bin2 b ON a.id = b.id ORDER BY a.id;

-- errors
SELECT ''::dllb.record;
SELECT 'user'::dllb.record;
SELECT '1user:2'::dllb.record;
SELECT 'us-er:2'::dllb.record;
SELECT 'user:'::dllb.record;
SELECT 'user:a-b'::dllb.record;
SELECT 'user:⟨abc'::dllb.record;
SELECT 'user:⟨abc⟩x'::dllb.record;
SELECT 'user:9223372036854775808'::dllb.record;
SELECT 'user:u''not-a-uuid'''::dllb.record;
SELECT 'user:1 2'::dllb.record;
SELECT (repeat('t', 64) || ':1')::dllb.record;
SELECT dllb.record('user', '1.5'::jsonb);
SELECT dllb.record('user', 'true'::jsonb);
SELECT dllb.record('bad name', 'x');
SELECT dllb.record('', 1::bigint);

DROP TABLE rec_t, rec_bin;

-- record_in_table: the table part compared in place
SELECT dllb.record_in_table('person:1', 'person') AS same,
       dllb.record_in_table('person:1', 'persons') AS longer,
       dllb.record_in_table('person:1', 'perso') AS shorter,
       dllb.record_in_table('person:⟨a b⟩', 'person') AS string_key,
       dllb.record_in_table('p:u''550e8400-e29b-41d4-a716-446655440000''', 'p') AS uuid_key,
       dllb.record_in_table('person:1', '') AS empty;
SELECT count(*) FILTER (WHERE dllb.record_in_table(r, dllb.tb(r))) = count(*) AS agrees_with_tb
FROM (SELECT dllb.record(t, k) AS r FROM unnest(ARRAY['a', 'ab', 'person', 'x_y']) t, generate_series(1, 50) k) s;
