# Crash recovery of dllb_bm25: a table of generated documents (a fixed
# vocabulary, zipf-like skew, reproducible from hashtext) with a dllb_bm25
# index; three sessions insert while the server is stopped in immediate
# mode mid-stream: one commits every row with a 16 kB write buffer (so
# flushes and merges run all the time), one commits ten rows at a time with
# the default buffer, and one inserts in a transaction that never commits
# (the crash aborts it).  After restart every committed row is there,
# bm25_verify passes, VACUUM makes the statistics exact over the live rows,
# and then for every query of a set the index's top 10 (ids, order, scores)
# is the brute-force BM25's computed in SQL, dllb.score equals minus <@>,
# and so again after more inserts.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use DllbBm25;

my $node = PostgreSQL::Test::Cluster->new('bm25_crash');
$node->init;
$node->append_conf('postgresql.conf', "synchronous_commit = on\nautovacuum = off\n");
$node->start;

$node->safe_psql('postgres', 'CREATE EXTENSION dllb;' . bm25_setup_sql() . q{
	INSERT INTO t (body, w, n) SELECT doc('base' || g), 'base', g FROM generate_series(1, 3000) g;
	CREATE INDEX t_body ON t USING dllb_bm25 (body) WITH (analyzer = 'simple');
});

sub session
{
	my (@sql) = @_;
	my ($out, $err) = ('', '');
	return IPC::Run::start([ 'psql', '-X', '-q', '-d', $node->connstr('postgres'), map { ('-c', $_) } @sql ],
		'>', \$out, '2>', \$err);
}

my @sessions = (
	# a: one row a transaction, small buffer
	session('SET dllb.bm25_buffer_kb = 16', q{
		DO $$
		BEGIN
			FOR i IN 1..1000000 LOOP
				INSERT INTO t (body, w, n) VALUES (doc('a' || i), 'a', i);
				COMMIT;
			END LOOP;
		END $$;
	}),
	# b: ten rows a transaction, default buffer
	session(q{
		DO $$
		BEGIN
			FOR i IN 0..1000000 LOOP
				INSERT INTO t (body, w, n) SELECT doc('b' || g), 'b', g FROM generate_series(10 * i + 1, 10 * i + 10) g;
				COMMIT;
			END LOOP;
		END $$;
	}),
	# c: one transaction that never commits, small buffer
	session('SET dllb.bm25_buffer_kb = 16', q{
		DO $$
		BEGIN
			FOR i IN 1..1000000 LOOP
				INSERT INTO t (body, w, n) VALUES (doc('c' || i), 'c', i);
				PERFORM pg_sleep(0.002);
			END LOOP;
		END $$;
	}));

my ($seen_a, $seen_b, $docs, $live, $segments) = (0, 0, 0, 0, 0);
foreach my $i (1 .. 600)
{
	($seen_a, $seen_b, $docs, $live, $segments) = split /\|/, $node->safe_psql('postgres', q{
		SELECT count(*) FILTER (WHERE w = 'a'), count(*) FILTER (WHERE w = 'b'),
		       (SELECT docs FROM dllb.bm25_stats('t_body')), count(*),
		       (SELECT segments FROM dllb.bm25_stats('t_body'))
		FROM t});
	last if $seen_a >= 800 && $seen_b >= 800;
	sleep 0.2;
}
ok($seen_a >= 800 && $seen_b >= 800, "writers committed $seen_a and $seen_b rows before the crash");
cmp_ok($docs, '>', $live, "the index counted in-flight rows before the crash ($docs entries, $live visible rows, $segments segments)");
$node->stop('immediate');
$_->kill_kill foreach @sessions;

$node->start;

foreach my $s ('a', 'b')
{
	my ($count, $max) = split /\|/, $node->safe_psql('postgres',
		qq{SELECT count(*), coalesce(max(n), 0) FROM t WHERE w = '$s'});
	is($count, $max, "session $s: committed rows 1..$max all present, no gap");
	cmp_ok($max, '>=', $s eq 'a' ? $seen_a : $seen_b, "session $s: nothing committed was lost");
}
is($node->safe_psql('postgres', q{SELECT count(*) FROM t WHERE w = 'c'}), '0',
	'the transaction the crash aborted left no rows');

sub verify
{
	my ($when) = @_;
	my ($ret, $out, $err) = $node->psql('postgres',
		q{SELECT bool_and(ok), string_agg("check" || ': ' || coalesce(detail, ''), '; ') FILTER (WHERE NOT ok)
		  FROM dllb.bm25_verify('t_body')});
	is($ret, 0, "bm25_verify runs $when") or diag($err);
	is((split /\|/, $out, 2)[0], 't', "bm25_verify passes $when") or diag($out);
}

verify('after recovery, before VACUUM');
my ($docs_before, $rows_now) = split /\|/, $node->safe_psql('postgres',
	q{SELECT (SELECT docs FROM dllb.bm25_stats('t_body')), count(*) FROM t});
cmp_ok($docs_before, '>=', $rows_now,
	"before VACUUM the statistics still count the aborted rows' entries ($docs_before >= $rows_now)");

$node->safe_psql('postgres', 'VACUUM t');
verify('after VACUUM');
$node->safe_psql('postgres', 'CALL bf_refresh()');
is($node->safe_psql('postgres', q{
	SELECT s.docs = (SELECT count(*) FROM bf_dl) AND s.total_length = (SELECT sum(dl) FROM bf_dl) AND s.buffered_docs >= 0
	FROM dllb.bm25_stats('t_body') s}), 't', 'after VACUUM docs and total length are exact over the live rows')
  or diag($node->safe_psql('postgres', q{SELECT s.*, (SELECT count(*) FROM bf_dl), (SELECT sum(dl) FROM bf_dl) FROM dllb.bm25_stats('t_body') s}));

like($node->safe_psql('postgres', q{SET search_path = public, dllb; SET enable_seqscan = off;
	EXPLAIN SELECT id FROM t WHERE body @@@ 'time' ORDER BY body <@> 'time' LIMIT 10}),
	qr/Index Scan using t_body/, 'the top-k query plan uses the index');

sub compare_all
{
	my ($when) = @_;
	foreach my $q (@bm25_queries)
	{
		is(bm25_compare(bm25_top($node, $q), bm25_brute($node, $q)), '',
			"$when: '$q': the index's top 10 is the brute-force BM25 top 10");
	}
}
compare_all('after recovery and VACUUM');

# a lexeme given twice counts twice, as in Lucene (a repeated SHOULD
# clause is scored per clause): 'sphinx sphinx' scores every row double
my $single = $node->safe_psql('postgres', q{SET search_path = public, dllb; SET enable_seqscan = off;
	SELECT string_agg(id || ':' || round((2 * dllb.score(body, 'sphinx'))::numeric, 9), ',')
	FROM (SELECT id, body FROM t WHERE body @@@ 'sphinx' ORDER BY body <@> 'sphinx' LIMIT 10) x});
my $double = $node->safe_psql('postgres', q{SET search_path = public, dllb; SET enable_seqscan = off;
	SELECT string_agg(id || ':' || round(dllb.score(body, 'sphinx sphinx')::numeric, 9), ',')
	FROM (SELECT id, body FROM t WHERE body @@@ 'sphinx sphinx' ORDER BY body <@> 'sphinx sphinx' LIMIT 10) x});
is($double, $single, "a repeated query lexeme scores once per occurrence");

# the index keeps working: more inserts (flushing), then the same check
$node->safe_psql('postgres', q{
	SET dllb.bm25_buffer_kb = 16;
	INSERT INTO t (body, w, n) SELECT doc('after' || g), 'after', g FROM generate_series(1, 500) g;
	CALL bf_refresh();
});
verify('after more inserts');
compare_all('after more inserts');

# two dllb_bm25 scans of the same query text in one statement: each row's
# score uses the statistics of the scan that returned it
$node->safe_psql('postgres', q{
	CREATE TABLE t2 (id int, body text);
	INSERT INTO t2 SELECT g, CASE WHEN g % 2 = 0 THEN 'zephyr pad' ELSE 'pad pad pad' END FROM generate_series(1, 100) g;
	CREATE INDEX t2_body ON t2 USING dllb_bm25 (body) WITH (analyzer = 'simple');
});
my $alone = $node->safe_psql('postgres', q{SET search_path = public, dllb; SET enable_seqscan = off;
	SELECT id, dllb.score(body, 'zephyr') FROM t2 WHERE body @@@ 'zephyr' ORDER BY body <@> 'zephyr' LIMIT 2});
my $together = $node->safe_psql('postgres', q{SET search_path = public, dllb; SET enable_seqscan = off;
	SELECT id, s FROM ((SELECT 't' AS tb, id, dllb.score(body, 'zephyr') AS s FROM t WHERE body @@@ 'zephyr' ORDER BY body <@> 'zephyr' LIMIT 2)
	                   UNION ALL
	                   (SELECT 't2', id, dllb.score(body, 'zephyr') FROM t2 WHERE body @@@ 'zephyr' ORDER BY body <@> 'zephyr' LIMIT 2)) u
	WHERE tb = 't2'});
is($together, $alone, "a second index's scan of the same query text in one statement scores with its own statistics");

$node->stop;
done_testing();
