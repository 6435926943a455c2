# Crash recovery of dllb_hnsw: two sessions insert rows with vectors into a
# table with a dllb_hnsw index (one row and one commit at a time) while a
# third deletes and vacuums; the server is stopped in immediate mode
# mid-stream.  After restart every committed row is there, the index scan
# returns exactly the rows exact search returns among the top 10 for a set
# of queries, an unbounded index scan returns every row, and
# dllb.hnsw_verify finds the graph whole right away and after VACUUM (which
# removes the elements of the transactions the crash aborted).  A second
# index, quantized (sq8, cosine), takes the same writes and is checked the
# same way.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('hnsw_crash');
$node->init;
$node->append_conf('postgresql.conf', "synchronous_commit = on\nautovacuum = off\n");
$node->start;

# a vector of 16 pseudo-random coordinates from a seed text
my $vec = q{(SELECT array_agg((abs(hashtext(%s || ':' || k)) %% 10000) / 10000.0)::real[]
             FROM generate_series(1, 16) k)::dllb.vector};
$node->safe_psql('postgres', sprintf(q{
	CREATE EXTENSION dllb;
	CREATE TABLE items (s text, n int, v dllb.vector(16), PRIMARY KEY (s, n));
	INSERT INTO items SELECT 'base', g, %s FROM generate_series(1, 1000) g;
	CREATE INDEX items_v ON items USING dllb_hnsw (v dllb.vector_l2_ops) WITH (m = 8, ef_construction = 32);
	CREATE INDEX items_q ON items USING dllb_hnsw (v dllb.vector_cosine_ops)
		WITH (m = 8, ef_construction = 32, quantization = sq8);
	CREATE TABLE queries (q dllb.vector(16));
	INSERT INTO queries SELECT %s FROM generate_series(1, 20) g;
}, sprintf($vec, q{'base' || g}), sprintf($vec, q{'query' || g})));

sub session
{
	my ($sql) = @_;
	my ($out, $err) = ('', '');
	return IPC::Run::start([ 'psql', '-X', '-q', '-d', $node->connstr('postgres'), '-c', $sql ],
		'>', \$out, '2>', \$err);
}

# writers insert (s, 1), (s, 2), ... committing every row
sub writer
{
	my ($s) = @_;
	my $v = sprintf($vec, qq{'$s' || n});
	return session(qq{
		DO \$\$
		BEGIN
			FOR n IN 1..1000000 LOOP
				INSERT INTO items VALUES ('$s', n, $v);
				COMMIT;
			END LOOP;
		END \$\$;
	});
}

my @sessions = (writer('a'), writer('b'));
# the churner deletes base rows and vacuums, over and over
push @sessions, session(q{
	DO $$
	BEGIN
		FOR i IN 1..1000000 LOOP
			DELETE FROM items WHERE s = 'base' AND n % 50 = i % 50;
			COMMIT;
			PERFORM pg_sleep(0.05);
		END LOOP;
	END $$;
});

my ($seen_a, $seen_b) = (0, 0);
foreach my $i (1 .. 600)
{
	($seen_a, $seen_b) = split /\|/, $node->safe_psql('postgres',
		q{SELECT count(*) FILTER (WHERE s = 'a'), count(*) FILTER (WHERE s = 'b') FROM items});
	$node->safe_psql('postgres', 'VACUUM items') if $i % 10 == 0;
	last if $seen_a >= 600 && $seen_b >= 600;
	sleep 0.2;
}
ok($seen_a >= 600 && $seen_b >= 600, "writers committed $seen_a and $seen_b rows before the crash");
$node->stop('immediate');
$_->kill_kill foreach @sessions;

$node->start;

foreach my $s ('a', 'b')
{
	my ($count, $max) = split /\|/, $node->safe_psql('postgres',
		qq{SELECT count(*), coalesce(max(n), 0) FROM items WHERE s = '$s'});
	is($count, $max, "session $s: committed rows 1..$max all present, no gap");
	cmp_ok($max, '>=', $s eq 'a' ? $seen_a : $seen_b, "session $s: nothing committed was lost");
}

# top 10 by the index against top 10 by exact search, for every query
my $compare = q{
	SET search_path = public, dllb;
	SET dllb.hnsw_ef_search = 400;
	SELECT count(*) FILTER (WHERE NOT same) FROM (
		SELECT (SELECT array_agg(s || n ORDER BY s || n) FROM
		          (SELECT s, n FROM items ORDER BY v <-> q LIMIT 10) i) =
		       (SELECT array_agg(s || n ORDER BY s || n) FROM
		          (SELECT s, n FROM items ORDER BY dllb.l2_distance(v, q) LIMIT 10) e) AS same
		FROM queries) c;
};
is($node->safe_psql('postgres', "SET enable_seqscan = off; $compare"), '0',
	'the index returns the exact top 10 for every query after recovery');
(my $compare_cos = $compare) =~ s/v <-> q/v <=> q/;
$compare_cos =~ s/dllb.l2_distance/dllb.cosine_distance/;
is($node->safe_psql('postgres', "SET enable_seqscan = off; $compare_cos"), '0',
	'the quantized index returns the exact top 10 (by cosine) for every query after recovery');
is($node->safe_psql('postgres', q{
	SET search_path = public, dllb; SET enable_seqscan = off;
	SELECT (SELECT count(*) FROM (SELECT 1 FROM items ORDER BY v <-> '[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]') s)
	     = (SELECT count(*) FROM items);
}), 't', 'an unbounded index scan returns every row');
like($node->safe_psql('postgres', q{EXPLAIN SELECT s FROM items ORDER BY v OPERATOR(pg_catalog.<->) (SELECT q FROM queries LIMIT 1) LIMIT 10}),
	qr/Index Scan using items_v/, 'the query plan uses the index');

foreach my $index ('items_v', 'items_q')
{
	is($node->safe_psql('postgres', qq{SELECT string_agg("check", ',') FROM dllb.hnsw_verify('$index') WHERE NOT ok}),
		'', "$index: hnsw_verify finds nothing wrong right after recovery");
}
$node->safe_psql('postgres', 'VACUUM items');
foreach my $index ('items_v', 'items_q')
{
	is($node->safe_psql('postgres', qq{SELECT string_agg("check", ',') FROM dllb.hnsw_verify('$index') WHERE NOT ok}),
		'', "$index: hnsw_verify finds nothing wrong after recovery and VACUUM");
}

# the index keeps working
$node->safe_psql('postgres', sprintf(q{INSERT INTO items SELECT 'after', g, %s FROM generate_series(1, 200) g},
	sprintf($vec, q{'after' || g})));
is($node->safe_psql('postgres', "SET enable_seqscan = off; $compare"), '0',
	'inserts after recovery keep the top 10 exact');
is($node->safe_psql('postgres', "SET enable_seqscan = off; $compare_cos"), '0',
	'inserts after recovery keep the quantized top 10 exact');

$node->stop;
done_testing();
