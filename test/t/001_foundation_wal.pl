# The extension survives a crash of the primary and replays on a streaming
# standby: CREATE EXTENSION, DROP and CREATE again are all WAL-logged
# catalog changes, and the standby can call the library.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->start;
$primary->safe_psql('postgres', 'CREATE EXTENSION dllb');
my $version = $primary->safe_psql('postgres', 'SELECT dllb.version()');
like($version, qr/^\d+\.\d+\.\d+$/, 'dllb.version() on the primary');

$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;

# Drop and re-create on the primary; the standby follows.
$primary->safe_psql('postgres', 'DROP EXTENSION dllb');
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres',
	"SELECT count(*) FROM pg_namespace WHERE nspname = 'dllb'"),
	'0', 'standby replays DROP EXTENSION, schema included');

$primary->safe_psql('postgres', 'CREATE EXTENSION dllb');
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres', 'SELECT dllb.version()'),
	$version, 'standby replays CREATE EXTENSION and loads the library');

# Crash the primary (no shutdown checkpoint) and restart it.
$primary->stop('immediate');
$primary->start;
is($primary->safe_psql('postgres',
	"SELECT extversion = dllb.version() FROM pg_extension WHERE extname = 'dllb'"),
	't', 'extension intact after crash recovery');

$standby->stop;
$primary->stop;
done_testing();
