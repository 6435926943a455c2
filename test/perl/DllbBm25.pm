# DllbBm25 - shared by the dllb_bm25 TAP tests (test/t/03x_fulltext_bm25_*.pl).
#
#   bm25_setup_sql      SQL that creates doc(seed) (a reproducible document:
#                       3..27 words of a fixed 60-word vocabulary, drawn with
#                       a zipf-like skew from hashtext of the seed), the
#                       table t (id serial, body text, w text, n int) and the
#                       brute-force BM25 over it: bf_refresh() tokenises the
#                       table into bf_tok/bf_dl, brute(q, k) gives the exact
#                       top k (Lucene BM25, k1 = 1.2, b = 0.75, the index's
#                       analyzer 'simple'; ties by ctid ascending)
#   @bm25_queries       the query set (OR, +required, repeated, unknown words)
#   bm25_top($node, $q) the index's top 10: [[id, minus <@>, dllb.score], ...]
#   bm25_brute($node, $q) the brute force's top 10: [[id, score], ...]
#   bm25_compare($got, $want) '' when they agree, else what differs
package DllbBm25;

use strict;
use warnings;
use Exporter 'import';

our @EXPORT = qw(bm25_setup_sql @bm25_queries bm25_top bm25_brute bm25_compare bm25_format);

our @bm25_queries = (
	'time', 'zephyr', 'river stone', 'apple bridge',
	'glacier fjord ember', 'time river stone', '+time zephyr', '+zephyr time',
	'+apple +river', 'candle harbor', 'quartz', 'market winter letter',
	'+light house water', 'sphinx dagger', 'nowhere', 'gravel nowhere',
	'+garden window', 'north paper cloud', '+ember +fjord', 'velvet whistle yonder');

sub bm25_setup_sql
{
	return q{
CREATE FUNCTION doc(seed text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
	SELECT string_agg((ARRAY['time','river','stone','light','house','water','cloud','green','paper','north',
	                         'apple','silver','garden','window','bridge','forest','engine','letter','market','winter',
	                         'candle','harbor','ladder','meadow','pepper','rocket','saddle','temple','violet','walnut',
	                         'anchor','basket','copper','desert','falcon','glacier','hammer','island','jungle','kettle',
	                         'lantern','marble','nickel','orchid','pillow','quartz','ribbon','sphinx','thistle','umbrella',
	                         'velvet','whistle','yonder','zephyr','bamboo','cobalt','dagger','ember','fjord','gravel'])
	                  [least(60, floor(exp(((abs(hashtext(seed || ':' || k)) % 1000000) / 1000000.0) * ln(61)))::int)],
	                  ' ' ORDER BY k)
	FROM generate_series(1, 3 + abs(hashtext('len:' || seed)) % 25) k
$f$;
CREATE TABLE t (id serial PRIMARY KEY, body text, w text, n int);
CREATE TABLE bf_tok (tid tid, id int, token text);
CREATE TABLE bf_dl (tid tid, id int, dl float8);
CREATE PROCEDURE bf_refresh() LANGUAGE sql AS $f$
	TRUNCATE bf_tok, bf_dl;
	INSERT INTO bf_tok SELECT t.ctid, t.id, a.token FROM t, dllb.analyze('simple', t.body) a;
	INSERT INTO bf_dl SELECT tid, id, count(*) FROM bf_tok GROUP BY tid, id;
	ANALYZE bf_tok, bf_dl;
$f$;
CREATE FUNCTION brute(q dllb.bm25query, lim int) RETURNS TABLE (id int, score float8) LANGUAGE sql STABLE AS $f$
	WITH st AS (SELECT count(*)::float8 AS nd, sum(dl) / count(*) AS avgdl FROM bf_dl),
	qt AS (SELECT item AS token, bool_or(occur = 'must') AS must FROM dllb.bm25query_items(q)
	       WHERE occur IN ('must', 'should') AND kind = 'term' GROUP BY item),
	tf AS (SELECT k.tid, k.id, k.token, count(*)::float8 AS tf FROM bf_tok k JOIN qt USING (token) GROUP BY 1, 2, 3),
	df AS (SELECT token, count(*)::float8 AS n FROM tf GROUP BY token),
	parts AS (SELECT tf.tid, tf.id, qt.must,
	                 ln(1 + (st.nd - df.n + 0.5) / (df.n + 0.5))
	                 * tf.tf * (1.2 + 1) / (tf.tf + 1.2 * (1 - 0.75 + 0.75 * bf_dl.dl / st.avgdl)) AS part
	          FROM tf JOIN df USING (token) JOIN bf_dl USING (id) JOIN qt USING (token), st),
	scored AS (SELECT tid, id, sum(part) AS score, count(*) FILTER (WHERE must) AS nmust
	           FROM parts GROUP BY tid, id)
	SELECT id, score FROM scored WHERE nmust = (SELECT count(*) FROM qt WHERE must)
	ORDER BY round(score::numeric, 10) DESC, tid LIMIT lim
$f$;
};
}

sub _rows
{
	my ($out) = @_;
	return [ map { [ split /\|/ ] } grep { $_ ne '' } split /\n/, $out ];
}

sub bm25_top
{
	my ($node, $q) = @_;
	(my $lit = $q) =~ s/'/''/g;
	return _rows($node->safe_psql('postgres', qq{
		SET search_path = public, dllb;
		SET enable_seqscan = off;
		SELECT id, -(body <\@> '$lit'), dllb.score(body, '$lit') FROM t WHERE body @\@\@ '$lit' ORDER BY body <\@> '$lit', ctid LIMIT 10;
	}));
}

sub bm25_brute
{
	my ($node, $q) = @_;
	(my $lit = $q) =~ s/'/''/g;
	return _rows($node->safe_psql('postgres', qq{SELECT id, score FROM brute('$lit', 10)}));
}

sub bm25_format
{
	my ($rows) = @_;
	return join(' ', map { "$_->[0]:$_->[1]" } @$rows);
}

# '' when the index's top 10 has the same ids in the same order as the brute
# force, scores within 1e-9 relative, and dllb.score equal to minus <@>
sub bm25_compare
{
	my ($got, $want) = @_;
	my @why;
	push @why, sprintf('%d rows, want %d', scalar @$got, scalar @$want) if @$got != @$want;
	for my $i (0 .. $#$got)
	{
		my ($id, $negrank, $score) = @{ $got->[$i] };
		push @why, "row $i: dllb.score $score but -(<\@>) $negrank" if $score != $negrank;
		next if $i > $#$want;
		my ($wid, $wscore) = @{ $want->[$i] };
		push @why, "row $i: id $id, want $wid" if $id != $wid;
		push @why, "row $i: score $negrank, want $wscore"
		  if abs($negrank - $wscore) > 1e-9 * abs($wscore);
	}
	return '' unless @why;
	return join('; ', @why) . "\n  index: " . bm25_format($got) . "\n  brute: " . bm25_format($want);
}

1;
