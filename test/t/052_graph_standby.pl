# Streaming replication of dllb tables: a hot standby replays edge tables
# USING dllb (placement, indexes, deletes, vacuum) and answers traversals,
# which read the edge indexes directly there too, exactly as the primary.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->start;
$primary->safe_psql('postgres', q{
	CREATE EXTENSION dllb;
	SET search_path = public, dllb;
	SELECT dllb.create_table('v');
	SELECT dllb.create_edge_table('e');
});
$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;

# a random graph of 2,000 vertices and 8,000 edges, inserted in random
# order after the base backup, then some deletes and a vacuum
$primary->safe_psql('postgres', q{
	SET search_path = public, dllb;
	SELECT setseed(0.5);
	-- (a volatile expression that is also the sort key is computed once
	-- per row, so the endpoints are drawn in a subquery)
	INSERT INTO e (id, "in", out)
	SELECT dllb.record('e', g), dllb.record('v', a), dllb.record('v', b)
	FROM (SELECT g, (random() * 2000)::int AS a, (random() * 2000)::int AS b
	      FROM generate_series(1, 8000) g) s
	ORDER BY md5(g::text);
	DELETE FROM e WHERE dllb.key(id)::int % 7 = 0;
	VACUUM e;
});
$primary->wait_for_catchup($standby);

my $q = q{
	SET search_path = public, dllb;
	SELECT count(*), md5(string_agg(node::text || depth, ',' ORDER BY node))
	FROM dllb.traverse((SELECT "in" FROM e GROUP BY "in" ORDER BY count(*) DESC, "in" LIMIT 1), 'e', 'out', 1, 4);
	SELECT count(*) FROM dllb.traverse((SELECT "in" FROM e GROUP BY "in" ORDER BY count(*) DESC, "in" LIMIT 1), 'e', 'both', 1, 3);
	SELECT array_length(dllb.shortest_path((SELECT "in" FROM e GROUP BY "in" ORDER BY count(*) DESC, "in" LIMIT 1), (SELECT out FROM e GROUP BY out ORDER BY count(*) DESC, out LIMIT 1), 'e', 'both'), 1) > 1;
	SELECT count(*) FROM e WHERE "in" = (SELECT "in" FROM e GROUP BY "in" ORDER BY count(*) DESC, "in" LIMIT 1);
	SELECT count(*) FROM e;
};
my $on_primary = $primary->safe_psql('postgres', $q);
my $on_standby = $standby->safe_psql('postgres', $q);
is($on_standby, $on_primary, 'standby answers traversals as the primary does');
my @r = split /\n/, $on_primary;
cmp_ok((split /\|/, $r[0])[0], '>', 100, 'a 4-hop traversal reaches more than 100 vertices');
cmp_ok($r[1], '>', 300, 'a 3-hop traversal in both directions reaches more than 300');
is($r[2], 't', 'a shortest path is found');
is($r[4], '6858', 'the primary has 8000 edges minus the deleted');

# the standby is read-only: writes fail cleanly, reads keep working
my ($ret, $out, $err) = $standby->psql('postgres',
	q{SET search_path = public, dllb; SELECT dllb.relate('v:1', 'e', 'v:2')});
isnt($ret, 0, 'relate on the standby fails');
like($err, qr/read-only transaction/, 'with a read-only error');

$standby->stop;
$primary->stop;
done_testing();
