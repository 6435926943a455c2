# dllb_hnsw graph health where timing matters: dllb.hnsw_verify finds the
# graph whole
#  - after each of 20 fresh parallel builds (two linking threads race);
#  - after immediate stops in the middle of VACUUM, at different points of
#    its index pass, right after restart and before any other VACUUM;
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
	"autovacuum = off\nmax_parallel_maintenance_workers = 1\nmaintenance_work_mem = 256MB\n");
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
$node->safe_psql('postgres', 'DROP TABLE par');

# ---- immediate stops during VACUUM --------------------------------------
$node->safe_psql('postgres', sprintf(q{
	CREATE TABLE items (id int PRIMARY KEY, v dllb.vector(16));
	INSERT INTO items SELECT i, %s FROM generate_series(1, 20000) i;
	CREATE INDEX items_v ON items USING dllb_hnsw (v) WITH (m = 8, ef_construction = 32);
	CREATE TABLE queries (q dllb.vector(16));
	INSERT INTO queries SELECT %s FROM generate_series(1, 20) i;
}, random_vector('i', 16), random_vector('-i', 16)));

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

my $next_id = 20001;
foreach my $round (1 .. 6)
{
	# churn: delete a sixth of the rows, add new ones
	$node->safe_psql('postgres', sprintf(q{
		DELETE FROM items WHERE id %% 6 = %d;
		INSERT INTO items SELECT i, %s FROM generate_series(%d, %d) i;
	}, $round % 6, random_vector('i', 16), $next_id, $next_id + 1999));
	$next_id += 2000;

	# a slow VACUUM (cost delay), stopped once it is some way into the index
	my ($out, $err) = ('', '');
	my $vacuum = IPC::Run::start(
		[ 'psql', '-X', '-q', '-d', $node->connstr('postgres'),
		  '-c', 'SET vacuum_cost_delay = 1', '-c', 'SET vacuum_cost_limit = 1',
		  '-c', 'VACUUM items' ],
		'>', \$out, '2>', \$err);
	my $phase = '';
	foreach my $i (1 .. 600)
	{
		$phase = $node->safe_psql('postgres',
			q{SELECT coalesce((SELECT phase FROM pg_stat_progress_vacuum), '')});
		last if $phase eq 'vacuuming indexes';
		usleep(20_000);
	}
	is($phase, 'vacuuming indexes', "round $round: VACUUM reached the index");
	# the index pass takes some 20 s here: stop it early, in the middle
	# and late, to land in each of its steps
	usleep((0.5, 2, 5, 9, 13, 16)[$round - 1] * 1_000_000);
	$phase = $node->safe_psql('postgres',
		q{SELECT coalesce((SELECT phase FROM pg_stat_progress_vacuum), 'done')});
	$node->stop('immediate');
	$vacuum->kill_kill;
	$node->start;

	note("round $round: stopped while VACUUM was at: $phase");
	is(health('items_v'), 'whole', "round $round: whole after an immediate stop in VACUUM");
	is(exact_top10(), '0', "round $round: the exact top 10 for every query");
}
$node->safe_psql('postgres', 'VACUUM items');
is(health('items_v'), 'whole', 'whole after the interrupted VACUUMs are finished');
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
