# Streaming replication of dllb_bm25: a hot standby replays the build,
# inserts through a 16 kB write buffer (so it is flushed into segments and
# segments are merged many times), updates, deletes and VACUUM, and answers
# every query of a set with the same (id, score) list as the primary, which
# itself agrees with the brute-force BM25; bitmap (@@@) scans and the
# statistics agree too, and bm25_verify passes on the primary.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use DllbBm25;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', "autovacuum = off\n");
$primary->start;
$primary->safe_psql('postgres', 'CREATE EXTENSION dllb');
$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;

$primary->safe_psql('postgres', bm25_setup_sql() . q{
	INSERT INTO t (body, w, n) SELECT doc('base' || g), 'base', g FROM generate_series(1, 2000) g;
	CREATE INDEX t_body ON t USING dllb_bm25 (body) WITH (analyzer = 'simple');
});
my $segments_built = $primary->safe_psql('postgres', q{SELECT segments FROM dllb.bm25_stats('t_body')});

# one session with a small write buffer: inserts in batches of 50, updates
# and deletes in between, a VACUUM in the middle, then more inserts
my $churn = q{SET dllb.bm25_buffer_kb = 16;};
foreach my $i (0 .. 39)
{
	$churn .= sprintf(q{
		INSERT INTO t (body, w, n) SELECT doc('ins' || g), 'ins', g FROM generate_series(%d, %d) g;}, 50 * $i + 1, 50 * $i + 50);
	$churn .= sprintf(q{
		UPDATE t SET body = doc('upd%d' || id) WHERE w = 'base' AND id %% 40 = %d;}, $i, $i) if $i % 4 == 1;
	$churn .= sprintf(q{
		DELETE FROM t WHERE w = 'base' AND id %% 37 = %d;}, $i) if $i % 4 == 3;
}
$primary->safe_psql('postgres', $churn);
my $segments_churned = $primary->safe_psql('postgres', q{SELECT segments FROM dllb.bm25_stats('t_body')});
$primary->safe_psql('postgres', 'VACUUM t');
$primary->safe_psql('postgres', q{
	SET dllb.bm25_buffer_kb = 16;
	INSERT INTO t (body, w, n) SELECT doc('late' || g), 'late', g FROM generate_series(1, 300) g;
	UPDATE t SET body = doc('late-upd' || id) WHERE w = 'ins' AND n % 97 = 0;
	DELETE FROM t WHERE w = 'ins' AND n % 89 = 0;
	VACUUM t;
	INSERT INTO t (body, w, n) SELECT doc('tail' || g), 'tail', g FROM generate_series(1, 40) g;
	CALL bf_refresh();
});
note("segments after the build: $segments_built, after the churn: $segments_churned");
$primary->wait_for_catchup($standby);

my $stats = q{SELECT docs, total_length, segments, buffered_docs, terms FROM dllb.bm25_stats('t_body')};
my $on_primary = $primary->safe_psql('postgres', $stats);
is($standby->safe_psql('postgres', $stats), $on_primary, "the standby has the primary's statistics ($on_primary)");
is($primary->safe_psql('postgres', q{
	SELECT s.docs = (SELECT count(*) FROM bf_dl) AND s.total_length = (SELECT sum(dl) FROM bf_dl)
	FROM dllb.bm25_stats('t_body') s}), 't', 'after VACUUM the statistics are exact over the live rows');
cmp_ok((split /\|/, $on_primary)[3], '>', 0, 'some documents are still in the write buffer');

foreach my $q (@bm25_queries)
{
	my $p = bm25_top($primary, $q);
	is(bm25_format(bm25_top($standby, $q)), bm25_format($p), "'$q': the standby's top 10 (ids, scores) is the primary's");
	is(bm25_compare($p, bm25_brute($primary, $q)), '', "'$q': the primary's top 10 is the brute-force BM25 top 10");
}

# bitmap scans: every match, on both
my $bitmap = q{
	SET search_path = public, dllb;
	SET enable_seqscan = off; SET enable_indexscan = off;
	SELECT (SELECT count(*) FROM t WHERE body @@@ 'zephyr'),
	       (SELECT count(*) FROM t WHERE body @@@ '+apple +river'),
	       (SELECT count(*) FROM t WHERE body @@@ 'glacier -fjord'),
	       (SELECT sum(id) FROM t WHERE body @@@ 'quartz ember');
};
my $bm = $primary->safe_psql('postgres', $bitmap);
is($standby->safe_psql('postgres', $bitmap), $bm, "bitmap scans return the same rows on the standby ($bm)");
is($bm, $primary->safe_psql('postgres', q{
	SELECT (SELECT count(DISTINCT id) FROM bf_tok WHERE token = 'zephyr'),
	       (SELECT count(*) FROM (SELECT id FROM bf_tok WHERE token IN ('apple', 'river')
	                              GROUP BY id HAVING count(DISTINCT token) = 2) s),
	       (SELECT count(*) FROM (SELECT id FROM bf_tok GROUP BY id
	                              HAVING bool_or(token = 'glacier') AND NOT bool_or(token = 'fjord')) s),
	       (SELECT sum(DISTINCT id) FROM bf_tok WHERE token IN ('quartz', 'ember'));
}), 'and the rows the brute force matches');
like($standby->safe_psql('postgres', q{SET search_path = public, dllb; SET enable_seqscan = off;
	EXPLAIN SELECT id FROM t WHERE body @@@ 'time' ORDER BY body <@> 'time' LIMIT 10}),
	qr/Index Scan using t_body/, 'the standby uses the index');

is($primary->safe_psql('postgres', q{SELECT bool_and(ok) FROM dllb.bm25_verify('t_body')}), 't',
	'bm25_verify passes on the primary')
  or diag($primary->safe_psql('postgres', q{SELECT * FROM dllb.bm25_verify('t_body') WHERE NOT ok}));
my ($ret, $out, $err) = $standby->psql('postgres', q{SELECT bool_and(ok) FROM dllb.bm25_verify('t_body')});
SKIP:
{
	skip "bm25_verify refuses to run on the standby: $err", 1 if $ret != 0;
	is($out, 't', 'bm25_verify passes on the standby');
}

($ret, $out, $err) = $standby->psql('postgres', q{INSERT INTO t (body) VALUES ('time river')});
isnt($ret, 0, 'inserts on the standby fail');
like($err, qr/read-only transaction/, 'with a read-only error');

$standby->stop;
$primary->stop;
done_testing();
