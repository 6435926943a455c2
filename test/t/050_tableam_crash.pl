# Crash recovery of dllb tables: two sessions insert edges (one row and one
# commit at a time, keys in random order so placement spreads them over the
# table) into an edge table USING dllb; the server is stopped in immediate
# mode mid-stream.  After restart every row that was committed before the
# crash is there (each session's sequence is gap-free and reaches at least
# what another session had seen committed), and every index agrees with the
# table (amcheck's bt_index_check with heapallindexed, and index scans that
# count the same rows as a sequential scan).
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf('postgresql.conf', "synchronous_commit = on\n");
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION dllb;
	CREATE EXTENSION amcheck;
	SET search_path = public, dllb;
	SELECT dllb.create_table('v');
	SELECT dllb.create_edge_table('e');
	CREATE INDEX e_data ON e USING gin (data);
});

# Each writer inserts edges s:<n> for n = 1, 2, ... committing every row.
sub writer
{
	my ($session) = @_;
	my $sql = qq{
		DO \$\$
		BEGIN
			FOR n IN 1..1000000 LOOP
				INSERT INTO public.e (id, "in", out, data)
				VALUES (dllb.record('e', '$session' || n),
				        dllb.record('v', (random() * 500)::int),
				        dllb.record('v', n),
				        jsonb_build_object('s', '$session', 'n', n));
				COMMIT;
			END LOOP;
		END \$\$;
	};
	my ($out, $err) = ('', '');
	return IPC::Run::start([ 'psql', '-X', '-q', '-d', $node->connstr('postgres'), '-c', $sql ],
		'>', \$out, '2>', \$err);
}

my @writers = (writer('a'), writer('b'));

# Wait until both have committed a good number of rows, remember what was
# committed, and crash right away.
my ($seen_a, $seen_b) = (0, 0);
foreach my $i (1 .. 600)
{
	($seen_a, $seen_b) = split /\|/, $node->safe_psql('postgres',
		q{SELECT count(*) FILTER (WHERE data->>'s' = 'a'), count(*) FILTER (WHERE data->>'s' = 'b') FROM e});
	last if $seen_a >= 1500 && $seen_b >= 1500;
	sleep 0.2;
}
ok($seen_a >= 1500 && $seen_b >= 1500, "writers committed $seen_a and $seen_b rows before the crash");
$node->stop('immediate');
$_->kill_kill foreach @writers;

$node->start;

foreach my $s ('a', 'b')
{
	my ($count, $max) = split /\|/, $node->safe_psql('postgres',
		qq{SELECT count(*), coalesce(max((data->>'n')::int), 0) FROM e WHERE data->>'s' = '$s'});
	is($count, $max, "session $s: committed rows 1..$max all present, no gap");
	cmp_ok($max, '>=', $s eq 'a' ? $seen_a : $seen_b, "session $s: nothing committed was lost");
}

my $checked = $node->safe_psql('postgres', q{
	SELECT count(bt_index_check(c.oid, true))
	FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	JOIN pg_am a ON a.oid = c.relam
	WHERE i.indrelid = 'e'::regclass AND a.amname = 'btree';
});
is($checked, '3', 'bt_index_check (heapallindexed) passes on all three btree indexes');

my $counts = $node->safe_psql('postgres', q{
	SET search_path = public, dllb;
	SET enable_seqscan = off; SET enable_bitmapscan = off;
	SELECT count(*) FROM e WHERE id >= 'e:⟨⟩'::dllb.record;
	SELECT count(*) FROM e WHERE "in" >= 'v:-1'::dllb.record;
	SELECT count(*) FROM e WHERE out >= 'v:-1'::dllb.record;
	SET enable_bitmapscan = on;
	SELECT count(*) FROM e WHERE data @> '{}';
	SET enable_seqscan = on; SET enable_indexscan = off; SET enable_bitmapscan = off;
	SELECT count(*) FROM e;
});
my @c = split /\n/, $counts;
is_deeply([ @c[0 .. 3] ], [ ($c[4]) x 4 ], 'every index sees the same rows as the table');

# The table keeps working after recovery.
$node->safe_psql('postgres', q{
	SET search_path = public, dllb;
	SELECT dllb.relate('v:1', 'e', 'v:2');
});
is($node->safe_psql('postgres', q{SET search_path = public, dllb; SELECT count(*) FROM e WHERE "in" = 'v:1'::dllb.record AND out = 'v:2'::dllb.record AND data = '{}'}),
	'1', 'inserts work after recovery');

$node->stop;
done_testing();
