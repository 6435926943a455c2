# A live query ends with its session, whatever way the session ends: a
# clean exit, pg_terminate_backend, or a crash of its backend (the
# postmaster restarts every backend and the UNLOGGED registry comes back
# empty).  No live query of a dead session is left in any catalog, and
# writers carry on.  Live queries of sessions that are gone some other way
# are deleted by the next LIVE SELECT.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# a killed backend makes the postmaster restart all of them, as in production
my $node = PostgreSQL::Test::Cluster->new('sessions');
$node->init;
$node->append_conf('postgresql.conf', 'restart_after_crash = on');
$node->start;
# the psql of a killed session is gone: writing to it must not kill the test
$SIG{PIPE} = 'IGNORE';
$node->safe_psql('postgres', q{
	CREATE EXTENSION dllb;
	SELECT dllb.create_table('watched');
});

my $count = "SELECT count(*) FROM dllb.live_queries";

sub subscribe
{
	my $s = $node->background_psql('postgres');
	$s->query_safe(q{SELECT * FROM dllb.query('LIVE SELECT * FROM watched')});
	$s->query_safe(q{SELECT * FROM dllb.query('LIVE SELECT DIFF FROM watched WHERE n > 1')});
	my $pid = $s->query_safe('SELECT pg_backend_pid()');
	chomp $pid;
	return ($s, $pid);
}

# a clean exit
my ($s1, $pid1) = subscribe();
is($node->safe_psql('postgres', "$count WHERE pid = $pid1"), '2', 'a session has its live queries');
$s1->quit;
ok($node->poll_query_until('postgres', "SELECT count(*) = 0 FROM dllb.live_queries"), 'they end when the session exits');

# pg_terminate_backend
my ($s2, $pid2) = subscribe();
$node->safe_psql('postgres', "SELECT pg_terminate_backend($pid2)");
ok($node->poll_query_until('postgres', "SELECT count(*) = 0 FROM dllb.live_queries"), 'they end when the session is terminated');
eval { $s2->quit };

# a crash: the backend is killed, the postmaster restarts everything
my ($s3, $pid3) = subscribe();
is($node->safe_psql('postgres', $count), '2', 'live queries before the crash');
kill 'KILL', $pid3;
eval { $s3->quit };
ok($node->poll_query_until('postgres', 'SELECT true'), 'the server is back after the crash');
is($node->safe_psql('postgres', $count), '0', 'no live query is left after a crash');
is($node->safe_psql('postgres', 'SELECT count(*) FROM dllb.live_payloads'), '0',
	'nor a kept notification');
$node->safe_psql('postgres', q{INSERT INTO watched (id, data) VALUES ('watched:1', '{"n": 2}')});
is($node->safe_psql('postgres', 'SELECT count(*) FROM watched'), '1', 'writers carry on');

# an immediate shutdown is a crash too
my ($s4, $pid4) = subscribe();
$node->stop('immediate');
eval { $s4->quit };
$node->start;
is($node->safe_psql('postgres', $count), '0', 'no live query is left after an immediate shutdown');

# a registry row of a session that is gone (here: written by hand) goes at the next LIVE SELECT
$node->safe_psql('postgres', q{
	INSERT INTO dllb.live_queries (id, tbl, role, pid, session_start, diff, query, cond_sql, proj_sql, settings)
	VALUES ('a6e57cb8-8f2c-4e45-9d2b-9a1a1d4e6a01', 'watched'::regclass, 10, 999999, now(), false,
	        'LIVE SELECT * FROM watched', 'true', 't.data', '{}');
});
my ($s5, $pid5) = subscribe();
is($node->safe_psql('postgres', "$count WHERE pid = 999999"), '0',
	'a gone session\'s live query is deleted by the next LIVE SELECT');
is($node->safe_psql('postgres', $count), '2', 'the new session\'s live queries are there');
$s5->quit;
ok($node->poll_query_until('postgres', "SELECT count(*) = 0 FROM dllb.live_queries"), 'and end with it');

$node->stop;
done_testing();
