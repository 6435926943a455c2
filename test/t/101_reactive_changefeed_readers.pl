# A change feed under four concurrent writers whose transactions commit out
# of the order they started in, read by a reader that polls SHOW CHANGES
# from its last versionstamp: test/client/changefeed_readers.py (psycopg2)
# checks that the reader sees every committed change exactly once, in
# commit order, over thousands of changes.  Each of its "ok N - ..." lines
# becomes a test here.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('feed');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION dllb');

local $ENV{PGHOST} = $node->host;
local $ENV{PGPORT} = $node->port;
local $ENV{PGDATABASE} = 'postgres';
# the system python3, which python3-psycopg2 (apt) is for
my ($out, $err) = ('', '');
my $ran = IPC::Run::run([$ENV{DLLB_PYTHON} // '/usr/bin/python3', "$ENV{DLLB_ROOT}/test/client/changefeed_readers.py"],
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
cmp_ok($checks, ">", 8, 'the client made its checks');

$node->stop;
done_testing();
