# Streaming replication of dllb_hnsw: a hot standby replays the build (whole
# pages), inserts, deletes and VACUUM's repair (generic WAL records) and
# answers nearest-neighbour queries exactly as the primary does; one of the
# two indexes is quantized (sq8) with a filter column.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', "autovacuum = off\n");
$primary->start;
$primary->safe_psql('postgres', 'CREATE EXTENSION dllb');
$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;

my $vec = q{(SELECT array_agg((abs(hashtext(%s || ':' || k)) %% 10000) / 10000.0)::real[]
             FROM generate_series(1, 12) k)::dllb.vector};
$primary->safe_psql('postgres', sprintf(q{
	SET search_path = public, dllb;
	CREATE TABLE items (id int PRIMARY KEY, cat int, v dllb.vector(12));
	INSERT INTO items SELECT g, g %% 7, %s FROM generate_series(1, 3000) g;
	CREATE INDEX items_l2 ON items USING dllb_hnsw (v) WITH (m = 8, ef_construction = 32);
	CREATE INDEX items_cos ON items USING dllb_hnsw (v dllb.vector_cosine_ops, cat)
		WITH (quantization = sq8);
	INSERT INTO items SELECT g, g %% 7, %s FROM generate_series(3001, 4000) g;
	DELETE FROM items WHERE id %% 3 = 0;
	VACUUM items;
	INSERT INTO items SELECT g, g %% 7, %s FROM generate_series(4001, 4500) g;
	CREATE TABLE queries (qid int, q dllb.vector(12));
	INSERT INTO queries SELECT g, %s FROM generate_series(1, 25) g;
}, sprintf($vec, 'g::text'), sprintf($vec, 'g::text'), sprintf($vec, 'g::text'),
	sprintf($vec, q{'q' || g})));
$primary->wait_for_catchup($standby);

my $q = q{
	SET search_path = public, dllb;
	SET enable_seqscan = off;
	SELECT qid, (SELECT string_agg(id::text, ',') FROM (SELECT id FROM items ORDER BY v <-> q LIMIT 10) s),
	            (SELECT string_agg(id::text, ',') FROM (SELECT id FROM items ORDER BY v <=> q LIMIT 10) s),
	            (SELECT string_agg(id::text, ',') FROM (SELECT id FROM items WHERE cat = 3 ORDER BY v <=> q LIMIT 10) s)
	FROM queries ORDER BY qid;
	SELECT count(*) FROM (SELECT id FROM items ORDER BY v <-> (SELECT q FROM queries WHERE qid = 1)) s;
};
my $on_primary = $primary->safe_psql('postgres', $q);
my $on_standby = $standby->safe_psql('postgres', $q);
is($on_standby, $on_primary, 'the standby returns the same nearest neighbours as the primary');
like($on_primary, qr/\n3167$/, 'an unbounded scan returns every row (4500 minus 1333 deleted)');
like($standby->safe_psql('postgres', q{SET enable_seqscan = off; EXPLAIN SELECT id FROM items ORDER BY v OPERATOR(pg_catalog.<->) '[1,1,1,1,1,1,1,1,1,1,1,1]' LIMIT 10}),
	qr/Index Scan using items_l2/, 'the standby uses the index');
like($standby->safe_psql('postgres', q{SET enable_seqscan = off; EXPLAIN SELECT id FROM items WHERE cat = 3 ORDER BY v OPERATOR(pg_catalog.<=>) '[1,1,1,1,1,1,1,1,1,1,1,1]' LIMIT 10}),
	qr/Index Scan using items_cos/, 'the standby uses the quantized index with its filter column');
is($primary->safe_psql('postgres', q{SELECT string_agg("check", ',') FROM dllb.hnsw_verify('items_l2') WHERE NOT ok}),
	'', 'hnsw_verify finds the primary graph whole');
is($primary->safe_psql('postgres', q{SELECT string_agg("check", ',') FROM dllb.hnsw_verify('items_cos') WHERE NOT ok}),
	'', 'hnsw_verify finds the quantized graph whole');

my ($ret, $out, $err) = $standby->psql('postgres', q{INSERT INTO items VALUES (99999, 1, '[1,1,1,1,1,1,1,1,1,1,1,1]')});
isnt($ret, 0, 'inserts on the standby fail');
like($err, qr/read-only transaction/, 'with a read-only error');

$standby->stop;
$primary->stop;
done_testing();
