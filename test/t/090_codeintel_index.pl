# The code intelligence loader, codeintel/dllb-index-code, end to end on a
# small C and Python tree this test writes: what it loads (nodes, calls
# with their lines, includes, type references, declarations, containment,
# Python imports), parse errors reported while the file's declarations
# still load, re-indexing only what changed and removing what vanished,
# bad input (a missing folder, a folder without sources, a binary .c, a
# file of 50 MB, an unreadable file, a symlink loop, an embed program that
# crashes or prints a vector of the wrong dimension), and the two showcase
# queries of doc/codeintel.md through dllb.query: their rows, and that
# dllb.explain shows the HNSW and BM25 indexes serving them.
#
# The loader runs as an ordinary role that may create tables in public.
# Embeddings come from a small deterministic embed program (four word
# counts), so the nearest neighbours are known; one run uses the default
# fastText embedding.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Path qw(make_path);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = $ENV{DLLB_ROOT} // dirname(dirname(dirname(__FILE__)));
my $loader = "$root/codeintel/dllb-index-code";
plan skip_all => "codeintel/dllb-extract-c is not built (make -C codeintel)"
  unless -x "$root/codeintel/dllb-extract-c";

my $node = PostgreSQL::Test::Cluster->new('codeintel');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
	CREATE ROLE codeintel_loader LOGIN;
});
# a database of the loader's role, where a superuser ran CREATE EXTENSION
sub make_db
{
	my ($db) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $db OWNER codeintel_loader");
	$node->safe_psql($db, 'CREATE EXTENSION dllb');
}
make_db($_) for qw(ci ci_batch ci_ft ci_bad ci_bad2);

my $tree = PostgreSQL::Test::Utils::tempdir('codeintel_tree');
sub put
{
	my ($path, $text) = @_;
	make_path(dirname("$tree/$path"));
	open(my $fh, '>', "$tree/$path") or die "$path: $!";
	print $fh $text;
	close($fh);
}

put('include/buffer.h', <<'C');
/* Growable byte buffers. */
#ifndef BUFFER_H
#define BUFFER_H
struct buffer
{
	char	   *data;
	int			len;
	int			cap;
};
typedef struct buffer buffer_t;
/* Append text to a buffer, growing it. */
int			buffer_append(struct buffer *buf, const char *text, int n);
void		buffer_free(buffer_t *buf);
#endif
C
put('include/lock.h', <<'C');
#ifndef LOCK_H
#define LOCK_H
struct lock { int held; };
void		lock_acquire(struct lock *l);
void		lock_release(struct lock *l);
#endif
C
put('src/buffer.c', <<'C');
#include <stdlib.h>
#include <string.h>
#include "buffer.h"

/* Make room for more bytes in the buffer. */
static int
buffer_grow(struct buffer *buf, int need)
{
	char	   *p = realloc(buf->data, buf->cap + need);

	if (p == NULL)
		return -1;
	buf->data = p;
	buf->cap += need;
	return 0;
}

int
buffer_append(struct buffer *buf, const char *text, int n)
{
	if (buf->len + n > buf->cap && buffer_grow(buf, n) < 0)
		return -1;
	memcpy(buf->data + buf->len, text, n);
	buf->len += n;
	return n;
}

void
buffer_free(buffer_t *buf)
{
	free(buf->data);
	buf->data = NULL;
}
C
put('src/lock.c', <<'C');
#include "lock.h"

/* Take the lock, spinning until it is free. */
void
lock_acquire(struct lock *l)
{
	while (l->held)
		;
	l->held = 1;
}

/* Release the lock. */
void
lock_release(struct lock *l)
{
	l->held = 0;
}
C
put('src/locked_buffer.c', <<'C');
#include "buffer.h"
#include "lock.h"

static struct lock buffer_lock;

/* Append to a shared buffer under the buffer lock. */
int
locked_buffer_append(struct buffer *buf, const char *text, int n)
{
	int			r;

	lock_acquire(&buffer_lock);
	r = buffer_append(buf, text, n);
	lock_release(&buffer_lock);
	return r;
}

/* Free a shared buffer under the buffer lock. */
void
locked_buffer_free(struct buffer *buf)
{
	lock_acquire(&buffer_lock);
	buffer_free(buf);
	lock_release(&buffer_lock);
}
C
put('src/list.c', <<'C');
#include <stdlib.h>

struct list_node { struct list_node *next; int value; };

/* Append a value to a list. */
struct list_node *
list_append(struct list_node *head, int value)
{
	struct list_node *n = malloc(sizeof(*n));

	n->next = head;
	n->value = value;
	return n;
}
C
put('src/broken.c', <<'C');
#include "buffer.h"

int
before_error(struct buffer *buf)
{
	return buf->len;
}

int
broken(void)
{
	return this is not C;
}

int
after_error(struct buffer *buf)
{
	return buffer_append(buf, "x", 1);
}
C
put('app/__init__.py', '');
put('app/store.py', <<'PY');
"""A key-value store."""
import os


class Store:
    """Keeps values in a buffer."""

    def __init__(self, path):
        self.path = path
        self.load()

    def load(self):
        return read_buffer(self.path)


def read_buffer(path):
    # Read a whole file into a buffer.
    with open(os.path.join(path, "data")) as f:
        return f.read()
PY
put('app/main.py', <<'PY');
from app.store import Store


def main():
    return Store("/tmp")
PY

# a deterministic embed program: counts of four words in name and text
my $embed = "$tree/../embed.py";
open(my $eh, '>', $embed) or die;
print $eh <<'PY';
import json, os, sys
words = ["buffer", "lock", "list", "store"]
for line in sys.stdin:
    o = json.loads(line)
    t = (o["name"] + " " + o["text"]).lower()
    if o["name"] == os.environ.get("EMBED_CRASH_ON"):
        sys.exit(7)
    v = [t.count(w) + 0.01 for w in words]
    if o["name"] == os.environ.get("EMBED_BAD_DIM_ON"):
        v.append(1.0)
    print(json.dumps(v), flush=True)
PY
close($eh);

sub index_code
{
	my ($db, @args) = @_;
	my ($stdout, $stderr);
	my $ok = IPC::Run::run(
		[ $loader, @args, '--db', $node->connstr($db) . ' user=codeintel_loader', '--jobs', '1' ],
		'>', \$stdout, '2>', \$stderr);
	my $rc = $? >> 8;
	return ($rc, $stderr);
}

sub sql
{
	my ($db, $sql) = @_;
	return $node->safe_psql($db, $sql);
}

# ---- first run
my ($rc, $err) = index_code('ci', $tree, '--embed', "python3 $embed");
is($rc, 0, 'first run succeeds') or diag($err);
like($err, qr/10 files: 10 new or changed, 0 unchanged, 0 to remove/, 'first run indexes every file');
like($err, qr{src/broken\.c:12:\d+: error: }, 'the parse error is reported with file and line');
like($err, qr/bulk .* one transaction/, 'a first run into an empty database loads in one transaction');

# the same tree batch by batch: the same rows in every table
($rc, $err) = index_code('ci_batch', $tree, '--embed', "python3 $embed", '--batch-only', '--batch-nodes', '5');
is($rc, 0, 'a first run batch by batch succeeds') or diag($err);
unlike($err, qr/one transaction/, '--batch-only loads in batches');
my $digest = q{SELECT string_agg(t || ' ' || n || ' ' || h, ', ' ORDER BY t) FROM (
	SELECT 'ast_node' t, count(*) n, md5(string_agg(x::text, '|' ORDER BY x::text)) h FROM ast_node x
	UNION ALL SELECT 'contains', count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM contains x
	UNION ALL SELECT 'calls', count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM calls x
	UNION ALL SELECT 'includes', count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM includes x
	UNION ALL SELECT 'imports', count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM imports x
	UNION ALL SELECT 'references_type', count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM references_type x
	UNION ALL SELECT 'declares', count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM declares x
	UNION ALL SELECT 'code_ref', count(*), md5(string_agg(x::text, '|' ORDER BY x::text)) FROM code_ref x) s};
is(sql('ci_batch', $digest), sql('ci', $digest), 'one transaction and batches load the same rows');
is(sql('ci', q{SELECT string_agg(c.relname || ':' || i.indisclustered, ' ' ORDER BY c.relname)
	FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	WHERE i.indrelid IN ('ast_node'::regclass, 'calls'::regclass, 'code_ref'::regclass)}),
	sql('ci_batch', q{SELECT string_agg(c.relname || ':' || i.indisclustered, ' ' ORDER BY c.relname)
	FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	WHERE i.indrelid IN ('ast_node'::regclass, 'calls'::regclass, 'code_ref'::regclass)}),
	'and the same indexes, the edge table clustered on "in"');

is(sql('ci', q{SELECT string_agg(name || ':' || kind, ' ' ORDER BY name, kind) FROM ast_node
	WHERE kind IN ('function', 'function_declaration', 'method', 'class', 'struct', 'typedef')}),
	'Store:class __init__:method after_error:function before_error:function broken:function '
	  . 'buffer:struct buffer_append:function buffer_append:function_declaration '
	  . 'buffer_free:function buffer_free:function_declaration buffer_grow:function buffer_t:typedef '
	  . 'list_append:function list_node:struct load:method lock:struct lock_acquire:function '
	  . 'lock_acquire:function_declaration lock_release:function lock_release:function_declaration '
	  . 'locked_buffer_append:function locked_buffer_free:function main:function read_buffer:function',
	'functions, methods, classes, structs and typedefs of both languages');
is(sql('ci', q{SELECT parse_errors FROM ast_node WHERE kind = 'file' AND file_path = 'src/broken.c'}),
	'1', 'the file records its parse errors');
is(sql('ci', q{SELECT string_agg(a.name || '>' || b.name || ' ' || c.lines::text, ', ' ORDER BY a.name, b.name)
	FROM calls c JOIN ast_node a ON a.id = c."in" JOIN ast_node b ON b.id = c.out}),
	'__init__>load {10}, after_error>buffer_append {18}, buffer_append>buffer_grow {21}, '
	  . 'load>read_buffer {13}, locked_buffer_append>buffer_append {13}, '
	  . 'locked_buffer_append>lock_acquire {12}, locked_buffer_append>lock_release {14}, '
	  . 'locked_buffer_free>buffer_free {23}, locked_buffer_free>lock_acquire {22}, '
	  . 'locked_buffer_free>lock_release {24}, main>Store {5}',
	'calls resolve across files to the definitions, with their call-site lines');
is(sql('ci', q{SELECT string_agg(a.file_path || '>' || coalesce(b.file_path, b.name), ' '
		ORDER BY a.file_path, coalesce(b.file_path, b.name))
	FROM includes i JOIN ast_node a ON a.id = i."in" JOIN ast_node b ON b.id = i.out}),
	'src/broken.c>include/buffer.h src/buffer.c>include/buffer.h src/buffer.c>stdlib.h '
	  . 'src/buffer.c>string.h src/list.c>stdlib.h src/lock.c>include/lock.h '
	  . 'src/locked_buffer.c>include/buffer.h src/locked_buffer.c>include/lock.h',
	'includes: files of the tree, and modules for system headers');
is(sql('ci', q{SELECT string_agg(a.qname || '>' || b.name, ' ' ORDER BY a.qname)
	FROM imports i JOIN ast_node a ON a.id = i."in" JOIN ast_node b ON b.id = i.out}),
	'app/main.py>store.py app/store.py>os', 'Python imports: a module of the tree, an outside one');
is(sql('ci', q{SELECT string_agg(DISTINCT b.name, ' ' ORDER BY b.name) FROM references_type r
	JOIN ast_node a ON a.id = r."in" JOIN ast_node b ON b.id = r.out WHERE a.name = 'buffer_free'}),
	'buffer_t', 'type references: the typedef buffer_free names');
is(sql('ci', q{SELECT string_agg(DISTINCT b.kind || ':' || b.name, ' ' ORDER BY b.kind || ':' || b.name)
	FROM references_type r JOIN ast_node a ON a.id = r."in" JOIN ast_node b ON b.id = r.out
	WHERE a.name IN ('buffer_grow', 'buffer_t', 'read_buffer', 'main')}),
	'struct:buffer', 'type references: a struct in a signature and under a typedef');
is(sql('ci', q{SELECT string_agg(a.file_path || '>' || b.file_path, ' ' ORDER BY 1) FROM declares d
	JOIN ast_node a ON a.id = d."in" JOIN ast_node b ON b.id = d.out WHERE a.name = 'buffer_append'}),
	'include/buffer.h>src/buffer.c', 'declares: the header prototype to its definition');
is(sql('ci', q{SELECT string_agg(b.kind || ':' || b.name, ' ' ORDER BY b.name) FROM contains c
	JOIN ast_node a ON a.id = c."in" JOIN ast_node b ON b.id = c.out WHERE a.kind = 'struct' AND a.name = 'buffer'}),
	'field:cap field:data field:len', 'contains: a struct holds its fields');
is(sql('ci', q{SELECT doc_comment || '|' || signature || '|' || start_line || '-' || end_line FROM ast_node
	WHERE name = 'buffer_grow'}),
	'/* Make room for more bytes in the buffer. */|static int buffer_grow(struct buffer *buf, int need)|6-16',
	'doc comment, signature and line span');
is(sql('ci', q{SELECT count(*) FROM ast_node WHERE kind IN ('function', 'method', 'class', 'struct')
	AND embedding IS NULL}), '0', 'every function, method, class and struct has an embedding');

# ---- the showcase queries (doc/codeintel.md)
my $q1 = q{SELECT stmt, result FROM dllb.query($$
	SELECT name, file_path, 1 - vector::distance::knn() AS similarity, search::score(1) AS ft_score
	FROM ast_node
	WHERE kind = 'function' AND embedding <|20,100|> $query_vec
	  AND source_text @1@ 'buffer' AND ->calls->ast_node[WHERE name = 'lock_acquire']
	ORDER BY similarity * 0.6 + ft_score * 0.4 DESC LIMIT 10$$,
	jsonb_build_object('query_vec', (SELECT embedding FROM ast_node WHERE name = 'buffer_append'
	                                  AND kind = 'function')::text::jsonb))};
my $q2 = q{SELECT stmt, result FROM dllb.query($$
	SELECT name, file_path, 1 - vector::distance::knn() AS similarity
	FROM ast_node
	WHERE kind = 'function' AND embedding <|20,100|> $query_vec
	  AND <-contains<-ast_node->includes->ast_node[WHERE name CONTAINS 'buffer.h']
	ORDER BY similarity DESC LIMIT 10$$,
	jsonb_build_object('query_vec', (SELECT embedding FROM ast_node WHERE name = 'lock_acquire'
	                                  AND kind = 'function')::text::jsonb))};
my $names = sub {
	my ($out) = @_;
	return join(' ', map { /"name": "([^"]+)"/ ? $1 : () } split /\n/, $out);
};
# the same questions in plain SQL, brute force: exact cosine distances,
# dllb.score with the index, the graph conditions as joins
my $plain1 = sql('ci', q{
	WITH q AS (SELECT embedding AS v FROM ast_node WHERE name = 'buffer_append' AND kind = 'function'),
	knn AS (SELECT n.* , n.embedding <=> q.v AS d FROM ast_node n, q
	        WHERE n.kind = 'function' AND n.source_text @@@ 'buffer'
	          AND EXISTS (SELECT 1 FROM calls c JOIN ast_node t ON t.id = c.out
	                      WHERE c."in" = n.id AND t.name = 'lock_acquire')
	        ORDER BY d LIMIT 20)
	SELECT string_agg(name, ' ' ORDER BY (1 - d) * 0.6
		+ dllb.score(source_text, 'buffer', 'ast_node_source_text'::regclass) * 0.4 DESC)
	FROM knn});
my $plain2 = sql('ci', q{
	WITH q AS (SELECT embedding AS v FROM ast_node WHERE name = 'lock_acquire' AND kind = 'function'),
	knn AS (SELECT n.*, n.embedding <=> q.v AS d FROM ast_node n, q
	        WHERE n.kind = 'function'
	          AND EXISTS (SELECT 1 FROM contains c JOIN includes i ON i."in" = c."in"
	                      JOIN ast_node h ON h.id = i.out
	                      WHERE c.out = n.id AND h.name LIKE '%buffer.h%')
	        ORDER BY d LIMIT 20)
	SELECT string_agg(name || '=' || round((1 - d)::numeric, 5), ' ' ORDER BY d, name) FROM knn});
is($names->(sql('ci', $q1)), $plain1, 'showcase 1 gives the rows plain SQL gives: ' . $plain1);
is($plain1, 'locked_buffer_free locked_buffer_append',
	'showcase 1: the functions matching "buffer" that call lock_acquire, best mix first');
# showcase 2 ranks by similarity alone: compare (name, similarity) pairs
# in the order of similarity, names breaking ties
my @got2 = map { /"name": "([^"]+)".*"similarity": ([0-9.e-]+)/ ? [ $1, sprintf('%.5f', $2) ] : () }
  split /\n/, sql('ci', $q2);
my $got2 = join(' ', map { "$_->[0]=$_->[1]" } sort { $b->[1] <=> $a->[1] or $a->[0] cmp $b->[0] } @got2);
is($got2, $plain2, 'showcase 2 gives the rows and similarities plain SQL gives');
is(scalar(@got2), 8, 'showcase 2: the 8 functions of the files that include buffer.h');
like($plain2, qr/^locked_buffer_\w+=[0-9.]+ locked_buffer_\w+=/, 'showcase 2: nearest to lock_acquire first');
ok(!grep({ $got2[$_ - 1][1] < $got2[$_][1] } 1 .. $#got2), 'showcase 2: rows come most similar first');
for my $case ([ 'showcase 1', $q1 ], [ 'showcase 2', $q2 ])
{
	(my $explain = $case->[1]) =~ s/dllb\.query/dllb.explain/;
	$explain =~ s/SELECT stmt, result FROM/SELECT plan FROM/;
	my $plan = sql('ci', "SET enable_seqscan = off; $explain");
	like($plan, qr/Index Scan using ast_node_embedding on ast_node/, "$case->[0] walks the HNSW index");
	like($plan, qr/ast_node_source_text/, "$case->[0] matches through the BM25 index") if $case->[0] eq 'showcase 1';
}

# ---- a second run changes nothing; an edit re-indexes one file
my $before = sql('ci', q{SELECT count(*), sum(hashtext(id::text || content_hash)) FROM ast_node});
($rc, $err) = index_code('ci', $tree, '--embed', "python3 $embed");
is($rc, 0, 'second run succeeds');
like($err, qr/10 files: 0 new or changed, 10 unchanged, 0 to remove/, 'an unchanged tree is not re-indexed');
is(sql('ci', q{SELECT count(*), sum(hashtext(id::text || content_hash)) FROM ast_node}), $before,
	'and the database is the same');

put('src/buffer.c', slurp_file("$tree/src/buffer.c") . <<'C');

/* Empty the buffer, keeping its memory. */
void
buffer_reset(struct buffer *buf)
{
	buf->len = 0;
}
C
unlink("$tree/src/list.c");
($rc, $err) = index_code('ci', $tree, '--embed', "python3 $embed");
is($rc, 0, 'run after an edit succeeds');
like($err, qr/9 files: 1 new or changed, 8 unchanged, 1 to remove/, 'only the edited file is re-indexed');
is(sql('ci', q{SELECT count(*) FROM ast_node WHERE name IN ('buffer_reset', 'list_append', 'list_node')}),
	'1', 'the new function is there, the removed file\'s declarations are gone');
is(sql('ci', q{SELECT count(*) FROM calls c JOIN ast_node a ON a.id = c."in" JOIN ast_node b ON b.id = c.out
	WHERE a.name = 'locked_buffer_append' AND b.name = 'buffer_append'}),
	'1', 'a call from an unchanged file into the re-indexed one is still there');
is(sql('ci', q{SELECT count(*) FROM ast_node WHERE kind = 'module' AND name = 'stdlib.h'}), '1',
	'a module still included stays');
is(sql('ci', q{SELECT (SELECT count(*) FROM calls WHERE NOT EXISTS (SELECT 1 FROM ast_node WHERE id = out))
	+ (SELECT count(*) FROM contains WHERE NOT EXISTS (SELECT 1 FROM ast_node WHERE id = out))
	+ (SELECT count(*) FROM includes WHERE NOT EXISTS (SELECT 1 FROM ast_node WHERE id = out))}),
	'0', 'no edge points at a node that is gone');

# ---- the default embedding: fastText trained on the tree
($rc, $err) = index_code('ci_ft', $tree, '--dim', '16');
is($rc, 0, 'the default fastText embedding works') or diag($err);
is(sql('ci_ft', q{SELECT count(*) FILTER (WHERE embedding IS NULL), min(dllb.dims(embedding)),
	max(dllb.dims(embedding)) FROM ast_node WHERE kind = 'function'}), '0|16|16',
	'every function has a 16-dimensional fastText vector');
is(sql('ci_ft', q{SELECT count(*) FROM code_embedding_model WHERE name = 'fasttext'}), '1',
	'the model is kept in the database for the next run');
my $vec_before = sql('ci_ft', q{SELECT embedding FROM ast_node WHERE name = 'lock_acquire'});
put('src/lock.c', slurp_file("$tree/src/lock.c") . "\n/* Try the lock once. */\nint\nlock_try(struct lock *l)\n{\n\treturn l->held ? 0 : (l->held = 1);\n}\n");
($rc, $err) = index_code('ci_ft', $tree, '--dim', '16');
is($rc, 0, 'a second fastText run succeeds') or diag($err);
unlike($err, qr/train/, '... without training again: the stored model embeds the changed file');
is(sql('ci_ft', q{SELECT embedding FROM ast_node WHERE name = 'lock_acquire'}), $vec_before,
	'... in the same space: a function of the re-indexed file gets the same vector');
is(sql('ci_ft', q{SELECT dllb.dims(embedding) FROM ast_node WHERE name = 'lock_try'}), '16',
	'... and the new function a vector');

# ---- bad input
($rc, $err) = index_code('ci', "$tree/no/such/folder");
is($rc, 1, 'a missing folder fails');
like($err, qr/no\/such\/folder does not exist/, '... saying so');
make_path("$tree/../empty/sub");
($rc, $err) = index_code('ci', "$tree/../empty");
is($rc, 1, 'a folder without sources fails');
like($err, qr/no C or Python sources under .*empty \(nothing indexed, the database is unchanged\)/, '... saying so');

my $bad = PostgreSQL::Test::Utils::tempdir('codeintel_bad');
system("cp -r $tree/src $tree/include $bad/") == 0 or die;
open(my $bh, '>', "$bad/src/binary.c") or die;
print $bh "\x7fELF\x02\x01\x01\x00" . ("\x00\xff" x 4000);
close($bh);
open($bh, '>', "$bad/src/huge.c") or die;
my $line = "/* " . ("x" x 1020) . " */\n";
print $bh $line x (50 * 1024);
close($bh);
open($bh, '>', "$bad/src/secret.c") or die;
print $bh "int secret(void) { return 1; }\n";
close($bh);
chmod 0000, "$bad/src/secret.c";
symlink('..', "$bad/src/loop") or die;
symlink('self.c', "$bad/src/self.c") or die;
($rc, $err) = index_code('ci_bad', $bad, '--embed', "python3 $embed");
is($rc, 3, 'a run with bad files finishes, exit status 3');
like($err, qr{src/binary\.c is a binary file, not C source; skipped}, 'a binary .c is skipped');
like($err, qr{src/huge\.c is 50\.\d MB, more than --max-file-mb \(8\); skipped}, 'a 50 MB file is skipped');
like($err, qr{symlink loop: src/loop leads back to }, 'a symlink loop is not followed');
like($err, qr{symlink src/self\.c: Too many levels of symbolic links; skipped}, 'a symlink to itself is skipped');
SKIP:
{
	skip 'running as root: every file is readable', 1 if $> == 0;
	like($err, qr{cannot read src/secret\.c: Permission denied; skipped}, 'an unreadable file is skipped');
}
is(sql('ci_bad', q{SELECT count(*) FROM ast_node WHERE kind = 'function'}), $> == 0 ? '13' : '12',
	'the good files are indexed');

# an embed program that crashes on one node, then one that prints a wrong dimension
put('../codeintel_bad2/a.c', "/* a */\nint alpha(void) { return 1; }\n");
put('../codeintel_bad2/b.c', "/* b */\nint beta(void) { return 2; }\nint beta2(void) { return beta(); }\n");
put('../codeintel_bad2/c.c', "/* c */\nint gamma_fn(void) { return 3; }\n");
$ENV{EMBED_CRASH_ON} = 'beta';
($rc, $err) = index_code('ci_bad2', "$tree/../codeintel_bad2", '--embed', "python3 $embed");
delete $ENV{EMBED_CRASH_ON};
is($rc, 3, 'an embed program that crashes: exit status 3');
like($err, qr/the embed program exited with status 7 after 1 of 4 inputs/, '... the crash is reported');
like($err, qr{b\.c: the embed program died on this input; not indexed}, '... the file of that node is not indexed');
is(sql('ci_bad2', q{SELECT string_agg(name, ' ' ORDER BY name) FROM ast_node WHERE kind = 'function'}),
	'alpha gamma_fn', '... the others are, and nothing of b.c is in the database');
$ENV{EMBED_BAD_DIM_ON} = 'gamma_fn';
put('../codeintel_bad2/c.c', "/* c, edited */\nint gamma_fn(void) { return 3; }\n");
($rc, $err) = index_code('ci_bad2', "$tree/../codeintel_bad2", '--embed', "python3 $embed");
delete $ENV{EMBED_BAD_DIM_ON};
is($rc, 3, 'a vector of the wrong dimension: exit status 3');
like($err, qr{c\.c: the embed program's vector is unusable: 5 numbers, the index holds vectors of 4; not indexed},
	'... reported, naming the file');
is(sql('ci_bad2', q{SELECT string_agg(name || ':' || coalesce(doc_comment, ''), ' ' ORDER BY name) FROM ast_node
	WHERE kind IN ('function', 'file')}),
	'a.c:/* a */ alpha:/* a */ b.c:/* b */ beta:/* b */ beta2: c.c:/* c */ gamma_fn:/* c */',
	'... the old version of c.c stays whole; b.c (embedded fine this time) is indexed');

done_testing();
