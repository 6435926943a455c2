# Live queries from a real client: test/client/live_notifications.py
# (psycopg2) starts live queries in one session, writes from others, and
# checks that exactly the expected notifications arrive, in commit order,
# under the subscriber's privileges and row-level security.  Each of its
# "ok N - ..." lines becomes a test here.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('live');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION dllb');

local $ENV{PGHOST} = $node->host;
local $ENV{PGPORT} = $node->port;
local $ENV{PGDATABASE} = 'postgres';
# the system python3, which python3-psycopg2 (apt) is for
my ($out, $err) = ('', '');
my $ran = IPC::Run::run([$ENV{DLLB_PYTHON} // '/usr/bin/python3', "$ENV{DLLB_ROOT}/test/client/live_notifications.py"],
	'>', \$out, '2>', \$err, IPC::Run::timeout(600));
my $checks = 0;
for my $line (split /\n/, $out)
{
	if ($line =~ /^(not )?ok \d+ - (.*)$/)
	{
		ok(!defined $1, $2);
		$checks++;
	}
	elsif ($line =~ /^#/)
	{
		diag($line);
	}
}
ok($ran, 'the client ran to its end') or diag($err);
cmp_ok($checks, '>', 30, 'the client made its checks');

$node->stop;
done_testing();
