# The dialect's whole path - lexer, parser, translator and the SQL it
# makes - run on every input of the dialect's fuzz corpus,
# test/fuzz/corpus/surql: the hand-written seeds and the inputs (m_*) a run
# of ./dllb fuzz --seconds 3600 surql found to cover new code, minimised
# with -merge=1.  Each input runs through dllb.query
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
for my $dir ("$root/test/fuzz/corpus/surql")
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

# and statements made at random from the dialect's grammar (a fixed seed,
# so a failure repeats; DLLB_CORPUS_SEED and DLLB_CORPUS_COUNT change them
# for a longer hunt), which reach the translator far more often than
# the fuzzer's inputs, most of which are syntax errors
srand($ENV{DLLB_CORPUS_SEED} // 20261130);
my @fields = qw(name age tags addr.city addr emb body kind since nosuch id in out n);
my @funcs = (
	[ 'string::lowercase', 1 ], [ 'string::uppercase', 1 ], [ 'string::len', 1 ],
	[ 'string::concat', 2 ], [ 'string::contains', 2 ], [ 'string::starts_with', 2 ],
	[ 'array::len', 1 ], [ 'array::distinct', 1 ], [ 'array::flatten', 1 ],
	[ 'math::sum', 1 ], [ 'math::mean', 1 ], [ 'math::min', 1 ], [ 'math::max', 1 ],
	[ 'math::abs', 1 ], [ 'math::round', 1 ], [ 'count', 0 ], [ 'count', 1 ],
	[ 'type::string', 1 ], [ 'type::int', 1 ], [ 'type::float', 1 ], [ 'type::thing', 2 ],
	[ 'vector::similarity::cosine', 2 ], [ 'vector::distance::euclidean', 2 ],
	[ 'vector::distance::knn', 0 ], [ 'time::now', 0 ], [ 'search::score', 1 ],
	[ 'search::highlight', 3 ], [ 'search::offsets', 1 ], [ 'nosuch::fn', 1 ]);
my @binops = ('=', '!=', '==', '<', '<=', '>', '>=', 'AND', 'OR', '+', '-', '*', '/',
	'CONTAINS', 'CONTAINSNOT', 'CONTAINSALL', 'CONTAINSANY', 'INSIDE', 'IN', 'NOT IN',
	'%', '**', '??', '?:', '&&', '||', 'IS', 'IS NOT', 'ALLINSIDE', 'ANYINSIDE', 'NONEINSIDE',
	'CONTAINSNONE', 'NOTINSIDE');
my @targets = ('person', 'person:alice', '[person:alice, person:bob]', 'doc', 'doc:1',
	'person:a..z', 'doc:1..=2', 'doc:..2', 'person:b..',
	'strict', 'knows', '$r', 'nosuch', '(SELECT * FROM person)', 'person:alice, person:bob');
sub pick { return $_[ int(rand(@_)) ]; }
sub path
{
	my @p = (pick('->knows->person', '<-knows<-person', '<->knows<->person', '->?->person',
		'->knows[WHERE since > 2000]->person', '.{1..2}->knows->person',
		'.{..+collect}->knows->person', '.{..+path}->knows->person',
		'.{..+shortest=person:bob}->knows->person', '->knows', '->knows->?'));
	push @p, pick('.name', '.since', '', '->knows->person') if rand() < 0.5;
	return join('', @p);
}
sub expr
{
	my ($d) = @_;
	my $r = rand();
	if ($d > 3 || $r < 0.3)
	{
		return pick(int(rand(100)) - 10, '1.5', "'a'", '"b c"', 'true', 'NONE', 'NULL',
			'person:alice', "d'2020-01-01T00:00:00Z'", '$v', '$x', '$s', '$r', '$nope',
			'1f', '2.5f', '3dec', '1h30m', '250ms', '9223372036854775807', 'math::pi', 'math::e',
			'tags[0]', 'tags[-1]', '$v[1]', "addr['city']", @fields);
	}
	# comparisons do not chain: parenthesised, so that most statements parse
	return '(' . expr($d + 1) . ' ' . pick(@binops) . ' ' . expr($d + 1) . ')' if $r < 0.55;
	return pick('NOT ', '-', '!', '<int> ', '<float> ', '<string> ', '<bool> ', '<record> ',
		'<record<person>> ', '<array> ', '<datetime> ', '<option<int>> ', '<nosuch> ') . expr($d + 1)
	  if $r < 0.6;
	return '(' . expr($d + 1) . pick(' IS NONE', ' IS NOT NONE') . ')' if $r < 0.63;
	if ($r < 0.75)
	{
		my $f = pick(@funcs);
		return $f->[0] . '(' . join(', ', map { expr($d + 1) } 1 .. $f->[1]) . ')';
	}
	return '[' . join(', ', map { expr($d + 1) } 1 .. int(rand(3))) . ']' if $r < 0.77;
	return expr($d + 1) . pick('.len()', '.uppercase()', '.map(|$e| $e)', '.abs()', '.nosuch()', '.distinct()')
	  if $r < 0.765;
	return pick('array::map', 'array::filter', 'array::find', 'array::any', 'array::all')
	  . '(' . pick('[1, 2, 3]', 'tags', '$v', expr($d + 1)) . ', |$e' . pick('', ', $i') . '| '
	  . pick('$e * 2', '$e = 2', '$i', expr($d + 1)) . ')' if $r < 0.79;
	return pick('person:alice', '->knows->person', '$r', 'addr') . '.{' . pick('name', 'name, age', 'id, city') . '}'
	  if $r < 0.8;
	return '{a: ' . expr($d + 1) . ', b: ' . expr($d + 1) . '}' if $r < 0.83;
	return path() if $r < 0.9;
	return 'count(' . path() . ')' if $r < 0.92;
	return '(' . stmt($d + 1) . ')' if $r < 0.95;
	return '(' . pick('body @1@ ', 'body @@ ', 'name @OR@ ', 'body @2,OR@ ') . pick("'async fn'", '$s', "''") . ')'
		if $r < 0.98;
	return '(emb ' . pick('<|2|>', '<|1,10|>', '<|2,COSINE|>', '<|3,MANHATTAN|>') . ' ' . pick('$v', '[1, 0, 0]', '$x') . ')';
}
sub stmt
{
	my ($d) = @_;
	my $r = rand();
	if ($r < 0.5 || $d > 2)
	{
		my $s = 'SELECT ' . pick('*', 'VALUE ' . expr($d + 1),
			join(', ', map { expr($d + 1) . pick('', ' AS x' . $_) } 1 .. 1 + int(rand(3))));
		$s .= ' OMIT ' . pick('name', 'addr.city, age') if rand() < 0.05;
		$s .= ' FROM ' . (rand() < 0.1 ? 'ONLY ' : '') . pick(@targets);
		$s .= ' WHERE ' . expr($d + 1) if rand() < 0.7;
		$s .= pick('', ' GROUP ALL', ' GROUP BY name', ' GROUP BY kind, age') if rand() < 0.2;
		$s .= ' ORDER BY ' . pick(@fields, 'x1', 'search::score(1)', 'x1 * 2') . pick('', ' DESC', ' ASC')
		  if rand() < 0.4;
		my $lim = ' LIMIT ' . pick(1, 3, '$x', -1);
		my $start = ' START ' . pick(0, 1, '$x');
		$s .= pick($lim, $start, "$lim$start", "$start$lim") if rand() < 0.3;
		$s .= ' FETCH ' . pick(@fields) if rand() < 0.1;
		return $s;
	}
	my $set = 'SET ' . join(', ', map { pick(@fields, 'a.b.c') . pick(' = ', ' += ', ' -= ') . expr($d + 1) } 1 .. 1 + int(rand(2)));
	my $ret = rand() < 0.3 ? pick(' RETURN NONE', ' RETURN BEFORE', ' RETURN AFTER', ' RETURN DIFF',
		' RETURN name', ' RETURN VALUE ' . expr($d + 1), ' RETURN NULL', ' RETURN id AS i, age') : '';
	return pick('', 'THROW ') . expr($d + 1) if $r < 0.53;
	return '{ ' . stmt($d + 1) . '; ' . stmt($d + 1) . ' }' if $r < 0.56;
	return 'CREATE ' . pick('', 'ONLY ') . pick(@targets) . ' ' . pick($set, 'CONTENT {name: ' . expr($d + 1) . '}', "CONTENT {id: 'x', n: 1}") . $ret if $r < 0.6;
	return 'UPDATE ' . pick('', 'ONLY ') . pick(@targets) . ' ' . pick($set, 'MERGE {age: ' . expr($d + 1) . '}', 'UNSET age, addr.city', 'REPLACE {n: 1}')
	  . (rand() < 0.5 ? ' WHERE ' . expr($d + 1) : '') . $ret if $r < 0.68;
	return 'UPSERT ' . pick(@targets) . ' ' . $set . $ret if $r < 0.72;
	return 'DELETE ' . pick(@targets) . (rand() < 0.5 ? ' WHERE ' . expr($d + 1) : '') . $ret if $r < 0.76;
	return 'RELATE ' . pick('', 'ONLY ') . pick('person:alice', '$r', 'doc:1', '[person:alice, person:bob]', '(SELECT * FROM person)', '$x')
	  . '->' . pick('knows', 'likes', 'knows:k1', 'likes:7') . '->' . pick('person:bob', '$r', '[doc:1, doc:2]')
	  . pick('', " $set", " CONTENT {id: 'e1', w: " . expr($d + 1) . '}') . $ret if $r < 0.8;
	return pick('DEFINE TABLE IF NOT EXISTS t2 TYPE RELATION IN person OUT doc ENFORCED',
		'DEFINE TABLE OVERWRITE t3 SCHEMAFULL PERMISSIONS FOR select FULL COMMENT \'c\'',
		'DEFINE FIELD IF NOT EXISTS f ON t3 TYPE string | int FLEXIBLE',
		'DEFINE FIELD g ON t3 TYPE int DEFAULT ALWAYS 1 READONLY', 'DEFINE FIELD a.b ON t3 VALUE 1',
		'DEFINE INDEX IF NOT EXISTS ix ON doc FIELDS body FULLTEXT ANALYZER english BM25(1.2, 0.75) HIGHLIGHTS',
		'DEFINE INDEX hx ON doc FIELDS emb HNSW DIMENSION 3 DIST COSINE TYPE F32 EFC 40 M 8',
		'REMOVE INDEX IF EXISTS hx ON doc', 'REMOVE FIELD IF EXISTS a.b ON t3') if $r < 0.82;
	return 'INSERT INTO ' . pick('person', 'strict', 'doc') . ' ' . pick('{name: ' . expr($d + 1) . '}', '[{n: 1}, {n: 2}]', '$x')
	  if $r < 0.84;
	return 'RETURN ' . expr($d + 1) if $r < 0.9;
	return 'LET $a' . pick('', ': int', ': string', ': record<person>', ': option<int>') . ' = ' . expr($d + 1) . '; RETURN $a' if $r < 0.94;
	return 'IF ' . expr($d + 1) . ' THEN ' . stmt($d + 1) . ' ELSE ' . stmt($d + 1) . ' END';
}
for my $i (1 .. ($ENV{DLLB_CORPUS_COUNT} // 3000))
{
	push @inputs, [ "generated $i", join('; ', map { stmt(0) } 1 .. 1 + int(rand(2))) ];
}

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
