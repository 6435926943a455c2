# dllb_hnsw graph health where timing matters: dllb.hnsw_verify finds the
# graph whole
#  - after each of 20 fresh parallel builds (two linking threads race),
#    and of 5 of a quantized index (sq8) with a filter column;
#  - after crashes in the middle of VACUUM, at chosen WAL records of each
#    step of its index pass, right after restart and before any other
#    VACUUM;
#  - after an immediate stop during inserts from two sessions, right after
#    restart;
# and the index keeps returning the exact nearest neighbours.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('hnsw_health');
$node->init;
$node->append_conf('postgresql.conf',
	"autovacuum = off\nrestart_after_crash = on\nmax_parallel_maintenance_workers = 1\nmaintenance_work_mem = 256MB\n");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION dllb');

sub health
{
	my ($index) = @_;
	return $node->safe_psql('postgres', qq{
		SELECT coalesce(string_agg("check" || ': ' || detail, '; '), 'whole')
		FROM dllb.hnsw_verify('$index') WHERE NOT ok});
}

# a vector of $dims pseudo-random coordinates from an integer expression
sub random_vector
{
	my ($seed, $dims) = @_;
	return qq{(SELECT array_agg((hashint4(($seed) * $dims + k) % 1000) / 1000.0)::real[]
	           FROM generate_series(1, $dims) k)::dllb.vector};
}

# ---- parallel builds ----------------------------------------------------
$node->safe_psql('postgres', sprintf(q{
	CREATE TABLE par (id int, v dllb.vector(24));
	INSERT INTO par SELECT i, %s FROM generate_series(1, 12000) i;
}, random_vector('i', 24)));
my %builds;
foreach my $b (1 .. 20)
{
	$node->safe_psql('postgres', q{
		DROP INDEX IF EXISTS par_v;
		CREATE INDEX par_v ON par USING dllb_hnsw (v) WITH (m = 8, ef_construction = 32);
	});
	$builds{ health('par_v') }++;
}
is_deeply(\%builds, { whole => 20 }, '20 fresh parallel builds are whole');
%builds = ();
foreach my $b (1 .. 5)
{
	$node->safe_psql('postgres', q{
		DROP INDEX IF EXISTS par_v;
		CREATE INDEX par_v ON par USING dllb_hnsw (v dllb.vector_ip_ops, id)
			WITH (m = 8, ef_construction = 32, quantization = sq8);
	});
	$builds{ health('par_v') }++;
}
is_deeply(\%builds, { whole => 5 }, '5 fresh parallel builds of a quantized index with a filter column are whole');
$node->safe_psql('postgres', 'DROP TABLE par');

# ---- crashes during VACUUM ----------------------------------------------
# dllb.hnsw_debug_vacuum_panic_after = N makes the index pass of VACUUM
# flush its N-th WAL record and stop the server with PANIC: after crash
# recovery the index is exactly as that record left it.  Every round
# builds the same table (a serial build, so the same graph), deletes a
# fifth of it and crashes its VACUUM at one record: one VACUUM without a
# crash first tells where its steps begin (DEBUG1), then the crashes land
# in the marking, at five points of the re-parenting (writing an element's
# new parent after the element once left cycles of parents there), in the
# repair of the lists and in the freeing.
sub churned_items
{
	$node->safe_psql('postgres', sprintf(q{
		DROP TABLE IF EXISTS items;
		CREATE TABLE items (id int PRIMARY KEY, v dllb.vector(16));
		INSERT INTO items SELECT i, %s FROM generate_series(1, 6000) i;
		CREATE INDEX items_v ON items USING dllb_hnsw (v) WITH (m = 8, ef_construction = 32);
		DELETE FROM items WHERE id %% 5 = 1;
		INSERT INTO items SELECT i, %s FROM generate_series(6001, 6600) i;
	}, random_vector('i', 16), random_vector('i', 16)));
}
$node->safe_psql('postgres', sprintf(q{
	CREATE TABLE queries (q dllb.vector(16));
	INSERT INTO queries SELECT %s FROM generate_series(1, 20) i;
}, random_vector('-i', 16)));

# the index's top 10 against exact search, for every query
sub exact_top10
{
	return $node->safe_psql('postgres', q{
		SET enable_seqscan = off;
		SET dllb.hnsw_ef_search = 400;
		SELECT count(*) FILTER (WHERE NOT same) FROM (
			SELECT (SELECT array_agg(id ORDER BY id) FROM
			          (SELECT id FROM items ORDER BY v OPERATOR(pg_catalog.<->) q LIMIT 10) i) =
			       (SELECT array_agg(id ORDER BY id) FROM
			          (SELECT id FROM items ORDER BY dllb.l2_distance(v, q) LIMIT 10) e) AS same
			FROM queries) c;
	});
}

churned_items();
my ($rc, $out, $err) = $node->psql('postgres', 'SET client_min_messages = debug1; VACUUM items');
my @steps = $err =~ /WAL records (\d+)-(\d+) re-parent, (\d+)-(\d+) repair, (\d+)-(\d+) free/;
is(scalar @steps, 6, 'a VACUUM tells where its steps begin')
  or diag($err);
is(health('items_v'), 'whole', 'whole after a VACUUM');
my ($p0, $p1, $r0, $r1, $f0, $f1) = @steps;
my @points = (int($p0 / 2),
	map({ $p0 + int(($p1 - $p0) * $_) } (0.05, 0.15, 0.3, 0.5, 0.8)),
	$r0 + int(($r1 - $r0) / 2), $f0 + int(($f1 - $f0) / 2));
foreach my $n (@points)
{
	churned_items();
	($rc, $out, $err) = $node->psql('postgres',
		"SET dllb.hnsw_debug_vacuum_panic_after = $n; VACUUM items");
	like($err, qr/server closed the connection/, "VACUUM stopped at WAL record $n");
	$node->poll_query_until('postgres', 'SELECT true')
	  or die 'the server did not come back';
	is(health('items_v'), 'whole', "whole after a crash at WAL record $n of VACUUM");
	is(exact_top10(), '0', "the exact top 10 for every query after a crash at record $n");
}
$node->safe_psql('postgres', 'VACUUM items');
is(health('items_v'), 'whole', 'whole after the interrupted VACUUM is finished');
is($node->safe_psql('postgres', q{
	SET enable_seqscan = off;
	SELECT (SELECT count(*) FROM (SELECT 1 FROM items ORDER BY v OPERATOR(pg_catalog.<->) (SELECT q FROM queries LIMIT 1)) s)
	     = (SELECT count(*) FROM items)}), 't', 'an unbounded index scan returns every row');

# ---- immediate stop during inserts --------------------------------------
sub writer
{
	my ($from) = @_;
	my ($out, $err) = ('', '');
	my $v = random_vector('n', 16);
	return IPC::Run::start(
		[ 'psql', '-X', '-q', '-d', $node->connstr('postgres'), '-c', qq{
			DO \$\$
			BEGIN
				FOR n IN $from..$from + 1000000 LOOP
					INSERT INTO items VALUES (n, $v);
					COMMIT;
				END LOOP;
			END \$\$;} ],
		'>', \$out, '2>', \$err);
}
my @writers = (writer(1_000_000), writer(3_000_000));
foreach my $i (1 .. 300)
{
	last if $node->safe_psql('postgres', 'SELECT count(*) FROM items WHERE id >= 1000000') >= 400;
	usleep(100_000);
}
$node->stop('immediate');
$_->kill_kill foreach @writers;
$node->start;
is(health('items_v'), 'whole', 'whole after an immediate stop during inserts');
is(exact_top10(), '0', 'the exact top 10 for every query after the inserts');

$node->stop;
done_testing();
