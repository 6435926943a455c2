# pg_dump and restore of dllb tables: the table access method, the
# clustering index (ALTER TABLE ... CLUSTER ON), the dllb.tables catalog
# rows and every record id come back, and placement still works in the
# restored database.  dllb_bm25 indexes whose analyzer is a configuration
# of another schema (written schema-qualified, by hand or by DEFINE
# ANALYZER) are restored and verify clean.  No session here has dllb on
# its search_path.
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
	SELECT dllb.create_table('person', true);
	INSERT INTO person SELECT dllb.record('person', g), jsonb_build_object('n', g)
	FROM generate_series(1, 200) g;
	INSERT INTO person VALUES ('person:⟨John Smith⟩', '{}'), ('person:u''8c4e1b2a-0000-4000-8000-000000000001''', '{}');
	SELECT count(dllb.relate(dllb.record('person', g), 'knows', dllb.record('person', g % 50 + 1)))
	FROM generate_series(1, 200) g;
	CREATE SCHEMA fts;
	CREATE TEXT SEARCH CONFIGURATION fts.words (COPY = pg_catalog.simple);
	CREATE TABLE docs (id int, body text);
	INSERT INTO docs SELECT g, 'parsing word' || g FROM generate_series(1, 300) g;
	CREATE INDEX docs_words ON docs USING dllb_bm25 (body) WITH (analyzer = 'fts.words');
	CREATE INDEX docs_code ON docs USING dllb_bm25 ((body || ' parseHttp')) WITH (analyzer = 'dllb.code(fts.words)');
	SELECT count(*) FROM dllb.query($$DEFINE ANALYZER mine TOKENIZERS blank FILTERS lowercase, snowball(english);
		DEFINE TABLE article; DEFINE FIELD body ON article TYPE string;
		DEFINE INDEX article_body ON article FIELDS body SEARCH ANALYZER mine BM25;
		CREATE article:1 SET body = 'parsing parsers'$$);
});

my $dump = $node->basedir . '/src.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('src') ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE dst');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dst'), $dump ], 'pg_restore');

my $q = q{
	SELECT string_agg(c.relname || '=' || a.amname, ',' ORDER BY c.relname)
	FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relname IN ('person', 'knows');
	SELECT string_agg(tbl::text || ':' || kind || ':' || schemafull, ',' ORDER BY tbl::text) FROM dllb.tables;
	SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'knows'::regclass AND indisclustered;
	SELECT md5(string_agg(id::text || data::text, ',' ORDER BY id)) FROM person;
	SELECT md5(string_agg(id::text || "in"::text || out::text, ',' ORDER BY id)) FROM knows;
	SELECT dllb.shortest_path('person:1', 'person:3', 'knows', 'both');
	SELECT count(*) FROM docs WHERE body @@@ 'parsing';
	SELECT count(*) FROM docs WHERE (body || ' parseHttp') @@@ 'http';
	SELECT string_agg(result::text, ',') FROM dllb.query($$SELECT VALUE id FROM article WHERE body @@ 'parse'$$);
	SELECT string_agg(i.indexrelid::regclass || ':' || v.ok, ',' ORDER BY i.indexrelid::regclass::text)
	FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam,
	     LATERAL (SELECT bool_and(ok) AS ok FROM dllb.bm25_verify(i.indexrelid)) v
	WHERE a.amname = 'dllb_bm25';
};
my $before = $node->safe_psql('src', $q);
my $after = $node->safe_psql('dst', $q);
is($after, $before, 'access method, catalog rows, clustering index, data, traversal and full-text matches survive dump and restore');
like($after, qr/knows=dllb,person=dllb/, 'restored tables use the dllb access method');
like($after, qr/knows_in_out/, 'restored edge table is clustered on its ("in", out) index');
like($after, qr/\n300\n300\n"article:1"\n/, 'full-text indexes with analyzers of other schemas match as before');
like($after, qr/article_body:true,docs_code:true,docs_words:true/, 'and verify clean');

# placement in the restored database: new edges of one vertex share pages
$node->safe_psql('dst', q{
	SELECT count(dllb.relate('person:7', 'knows', dllb.record('person', g))) FROM generate_series(1000, 1100) g;
});
my $pages = $node->safe_psql('dst', q{
	SELECT count(DISTINCT (ctid::text::point)[0]) FROM knows WHERE "in" = 'person:7';
});
cmp_ok($pages, '<=', 4, "105 edges of one vertex on $pages pages");

$node->stop;
done_testing();
