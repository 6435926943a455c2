# The dialect's whole path - lexer, parser, translator and the SQL it
# makes - run on every input of the dialect's fuzz corpora: the seeds
# (test/fuzz/corpus/surql) and the inputs the fuzzer found to cover new
# code (test/fuzz/corpus/surql_exec, minimised from a run of
# ./dllb fuzz --seconds 3600 surql).  Each input runs through dllb.query
# against tables of every kind (documents, edges, a vector field with an
# HNSW index, a text field with a BM25 index) and is always rolled back.
# Errors are expected; what must not happen is the backend crashing or an
# internal error (SQLSTATE XX000, an elog that a user can reach) - each
# error must be one of the SQLSTATEs a user can act on.
use strict;
use warnings;
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = $ENV{DLLB_ROOT} // dirname(dirname(dirname(__FILE__)));
my @inputs;
for my $dir ("$root/test/fuzz/corpus/surql", "$root/test/fuzz/corpus/surql_exec")
{
	next unless -d $dir;
	opendir(my $dh, $dir) or die "opendir $dir: $!";
	for my $f (sort grep { -f "$dir/$_" } readdir($dh))
	{
		my $text = slurp_file("$dir/$f");
		# text reaches SQL only as valid UTF-8 without NUL bytes
		next if $text =~ /\x00/;
		next unless utf8::decode(my $copy = $text);
		push @inputs, [ $f, $text ];
	}
	closedir($dh);
}
cmp_ok(scalar(@inputs), '>=', 10, 'corpus inputs found: ' . scalar(@inputs));

my $node = PostgreSQL::Test::Cluster->new('corpus');
$node->init;
$node->append_conf('postgresql.conf', "statement_timeout = '5s'\n");
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION dllb;
	SET search_path = public, dllb;
	SELECT count(*) FROM dllb.query($$
		CREATE person:alice SET name = 'Alice', age = 30, tags = ['a', 'b'], addr.city = 'Paris';
		CREATE person:bob SET name = 'Bob', age = 17;
		RELATE person:alice->knows->person:bob SET since = 2020;
		DEFINE TABLE doc SCHEMALESS;
		DEFINE FIELD emb ON doc TYPE vector<3>;
		DEFINE FIELD body ON doc TYPE string;
		CREATE doc:1 SET emb = [1, 0, 0], body = 'async fn spawn', kind = 'fn';
		CREATE doc:2 SET emb = [0, 1, 0], body = 'fn block on', kind = 'fn';
		DEFINE INDEX e ON doc FIELDS emb HNSW DIMENSION 3;
		DEFINE INDEX b ON doc FIELDS body SEARCH ANALYZER english BM25;
		DEFINE TABLE strict SCHEMAFULL;
		DEFINE FIELD n ON strict TYPE int ASSERT $value > 0
	$$);
	-- run one input and roll it back; the SQLSTATE it ended with
	CREATE FUNCTION try_surql(q text) RETURNS text LANGUAGE plpgsql AS $f$
	BEGIN
		BEGIN
			PERFORM count(*) FROM dllb.query(q, '{"v": [1, 0, 0], "x": 1, "s": "a", "r": "person:alice"}');
			RAISE EXCEPTION 'rolled back' USING ERRCODE = 'DLB01';
		EXCEPTION WHEN OTHERS THEN
			RETURN CASE WHEN SQLSTATE = 'DLB01' THEN 'ok' ELSE SQLSTATE END
				   || CASE WHEN SQLSTATE = 'XX000' THEN ': ' || SQLERRM ELSE '' END;
		END;
	END $f$;
});

# all inputs in one session, so that a crash shows as a lost connection
my $script = "SET search_path = public, dllb;\n";
for my $in (@inputs)
{
	(my $q = $in->[1]) =~ s/'/''/g;
	$script .= "SELECT '$in->[0]' AS input, try_surql('$q') AS outcome;\n";
}
my ($stdout, $stderr);
my $rc = $node->psql('postgres', $script, stdout => \$stdout, stderr => \$stderr,
	extra_params => [ '-At', '-F', "\t" ]);
is($rc, 0, 'every input ran in one session') or diag($stderr);

my %outcome;
my @internal;
for my $line (split /\n/, $stdout // '')
{
	my ($name, $res) = split /\t/, $line, 2;
	next unless defined $res;
	my ($state) = $res =~ /^(\w+)/;
	$outcome{$state}++;
	push @internal, "$name: $res" if $state eq 'XX000';
}
my $total = 0;
$total += $_ for values %outcome;
is($total, scalar(@inputs), 'an outcome for every input');
note(join(', ', map { "$_ $outcome{$_}" } sort keys %outcome));
is(scalar(@internal), 0, 'no input reaches an internal error')
  or diag(join("\n", @internal[ 0 .. ($#internal < 20 ? $#internal : 19) ]));

my $log = slurp_file($node->logfile);
unlike($log, qr/terminated by signal/, 'no backend crashed');
is($node->safe_psql('postgres', 'SELECT count(*) FROM person'), '2', 'the tables are as they were');

$node->stop;
done_testing();
