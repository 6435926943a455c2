# pg_dump and restore of dllb tables: the table access method, the
# clustering index (ALTER TABLE ... CLUSTER ON), the dllb.tables catalog
# rows and every record id come back, and placement still works in the
# restored database.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', q{
	CREATE EXTENSION dllb;
	SET search_path = public, dllb;
	SELECT dllb.create_table('person', true);
	INSERT INTO person SELECT dllb.record('person', g), jsonb_build_object('n', g)
	FROM generate_series(1, 200) g;
	INSERT INTO person VALUES ('person:⟨John Smith⟩', '{}'), ('person:u''8c4e1b2a-0000-4000-8000-000000000001''', '{}');
	SELECT count(dllb.relate(dllb.record('person', g), 'knows', dllb.record('person', g % 50 + 1)))
	FROM generate_series(1, 200) g;
});

my $dump = $node->basedir . '/src.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('src') ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE dst');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dst'), $dump ], 'pg_restore');

my $q = q{
	SET search_path = public, dllb;
	SELECT string_agg(c.relname || '=' || a.amname, ',' ORDER BY c.relname)
	FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relname IN ('person', 'knows');
	SELECT string_agg(tbl::text || ':' || kind || ':' || schemafull, ',' ORDER BY tbl::text) FROM dllb.tables;
	SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'knows'::regclass AND indisclustered;
	SELECT md5(string_agg(id::text || data::text, ',' ORDER BY id)) FROM person;
	SELECT md5(string_agg(id::text || "in"::text || out::text, ',' ORDER BY id)) FROM knows;
	SELECT dllb.shortest_path('person:1', 'person:3', 'knows', 'both');
};
my $before = $node->safe_psql('src', $q);
my $after = $node->safe_psql('dst', $q);
is($after, $before, 'access method, catalog rows, clustering index, data and traversal survive dump and restore');
like($after, qr/knows=dllb,person=dllb/, 'restored tables use the dllb access method');
like($after, qr/knows_in_out/, 'restored edge table is clustered on its ("in", out) index');

# placement in the restored database: new edges of one vertex share pages
$node->safe_psql('dst', q{
	SET search_path = public, dllb;
	SELECT count(dllb.relate('person:7', 'knows', dllb.record('person', g))) FROM generate_series(1000, 1100) g;
});
my $pages = $node->safe_psql('dst', q{
	SET search_path = public, dllb;
	SELECT count(DISTINCT (ctid::text::point)[0]) FROM knows WHERE "in" = 'person:7';
});
cmp_ok($pages, '<=', 4, "105 edges of one vertex on $pages pages");

$node->stop;
done_testing();
