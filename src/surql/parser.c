/*-------------------------------------------------------------------------
 *
 * parser.c
 *	  Recursive-descent parser of the dialect: tokens to statements.
 *
 * Grammar (statements separated by ;):
 *	SELECT [VALUE] fields [OMIT fs] FROM [ONLY] targets [WHERE e]
 *		[GROUP ALL | GROUP BY es] [ORDER BY e [ASC|DESC], ...]
 *		[LIMIT [BY] e] [START [AT] e] (either order) [FETCH fields]
 *	CREATE [ONLY] target [SET f = e | f += e | f -= e, ... | CONTENT e] [RETURN r]
 *	INSERT INTO table e
 *	UPDATE|UPSERT [ONLY] targets [SET ... | UNSET fs | MERGE e | CONTENT e |
 *		REPLACE e] [WHERE e] [RETURN r]
 *	DELETE [FROM | ONLY] targets [WHERE e] [RETURN r]
 *	RELATE [ONLY] from -> edge[:key] -> to [SET ... | CONTENT e] [RETURN r]
 *		(r: NONE | BEFORE | AFTER | DIFF | VALUE e | f [AS a], ...)
 *	LET $name[: type] = e;  RETURN e;  THROW e;  BEGIN | COMMIT | CANCEL [TRANSACTION]
 *	e (a bare expression);  { stmt; ... } (a block, IF TRUE { ... })
 *	DEFINE TABLE [IF NOT EXISTS | OVERWRITE] t [SCHEMAFULL | SCHEMALESS]
 *		[TYPE RELATION [IN a | b] [OUT c] [ENFORCED] | NORMAL | ANY] [AS SELECT ...]
 *		[PERMISSIONS ...] [COMMENT s]
 *	DEFINE FIELD [IF NOT EXISTS | OVERWRITE] f[.g][[*]] ON [TABLE] t [TYPE type [| type]]
 *		[FLEXIBLE] [DEFAULT [ALWAYS] e] [VALUE e | COMPUTED e] [READONLY] [ASSERT e]
 *		[REFERENCE [ON DELETE ...]] [PERMISSIONS ...] [COMMENT s]
 *	DEFINE INDEX [IF NOT EXISTS | OVERWRITE] i ON [TABLE] t FIELDS|COLUMNS f, ...
 *		[UNIQUE | SEARCH|FULLTEXT ANALYZER a BM25[(k1, b)] [HIGHLIGHTS] |
 *		HNSW DIMENSION n [DIST EUCLIDEAN|COSINE|DOT|MANHATTAN] [TYPE t] [EFC n] [M n]
 *		[HASHED_VECTOR]]
 *		[CONCURRENTLY] [COMMENT s]
 *	REMOVE TABLE|ANALYZER [IF EXISTS] x;  REMOVE FIELD|INDEX [IF EXISTS] x ON [TABLE] t;
 *	DEFINE FUNCTION [IF NOT EXISTS | OVERWRITE] fn::a[::b...]([$x[: type], ...])
 *		[-> type] { statements } [COMMENT s] [PERMISSIONS NONE | FULL | WHERE e]
 *	DEFINE PARAM [IF NOT EXISTS | OVERWRITE] $x VALUE e [COMMENT s] [PERMISSIONS ...]
 *	REMOVE FUNCTION [IF EXISTS] fn::a[()];  REMOVE PARAM [IF EXISTS] $x;
 *	INFO FOR TABLE t | DB
 *
 * Expressions, loosest first: ?? and ?:; OR (||); AND (&&); NOT;
 * comparisons (= == != < <= > >= IS [NOT], CONTAINS CONTAINSNOT
 * CONTAINSALL CONTAINSANY INSIDE IN NOT IN, IS [NOT] NONE|NULL, @N,OR@
 * matches, <|k,ef|> nearest neighbours); + -; * / %; ** (right to left);
 * unary minus, ! and casts <type> e; postfix field paths (.f), method
 * calls (.name(args)), destructuring (.{f, g}) and graph steps (->t, <-t, <->t,
 * each with an optional [WHERE e]; ->(t WHERE e) is the same), recursion before steps (x.{1..3}->e->t,
 * .{..+collect}, .{2+shortest=r}; a leading .{...} starts from the current
 * row); primaries: literals (numbers with f or dec suffixes, durations
 * 1h30m), $params, record ids (t:k), arrays, objects, fields, function
 * calls (a::b(...), names in any case), closures |$a, $b| e,
 * (subqueries) and (expressions).
 *
 * Pure: errors are reported in the result (message, line, column), never
 * raised, so the fuzz target builds this file on its own.  Nesting deeper
 * than SURQL_MAX_DEPTH is an error rather than a stack overflow.
 *
 * IDENTIFICATION
 *	  src/surql/parser.c
 *
 *-------------------------------------------------------------------------
 */
#include "surql/ast.h"

#include <setjmp.h>

#define SURQL_MAX_DEPTH 200
#define SURQL_OP_NOT_IN 10000

struct SurqlArenaBlock
{
	SurqlArenaBlock *next;
	Size		used;
	Size		size;
	char		data[FLEXIBLE_ARRAY_MEMBER];
};

typedef struct Parser
{
	SurqlParse *res;
	SurqlToken *t;
	int			pos;
	int			depth;
	bool		star_keys;		/* parse_path_tail takes .* (a field's values) */
	int64		mock_text;		/* text the mock targets parsed so far expand to */
	jmp_buf		fail;
} Parser;

/* ---- memory ---------------------------------------------------------------- */

static void *
alloc(Parser *p, Size size)
{
	SurqlArenaBlock *b = p->res->arena;

	size = MAXALIGN(size);
	if (b == NULL || b->used + size > b->size)
	{
		Size		bsize = Max(size, 8192);

		b = palloc(offsetof(SurqlArenaBlock, data) + bsize);
		b->next = p->res->arena;
		b->used = 0;
		b->size = bsize;
		p->res->arena = b;
	}
	b->used += size;
	return memset(b->data + b->used - size, 0, size);
}

static char *
dupstr(Parser *p, const char *s, int len)
{
	char	   *r = alloc(p, len + 1);

	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

/* a growing array of pointers in the arena */
typedef struct PtrList
{
	void	  **items;
	int			n;
	int			cap;
} PtrList;

static void
list_add(Parser *p, PtrList *l, void *item)
{
	if (l->n == l->cap)
	{
		void	  **items;

		l->cap = Max(4, l->cap * 2);
		items = alloc(p, sizeof(void *) * l->cap);
		if (l->n > 0)
			memcpy(items, l->items, sizeof(void *) * l->n);
		l->items = items;
	}
	l->items[l->n++] = item;
}

/* ---- tokens ---------------------------------------------------------------- */

static SurqlToken *
peek(Parser *p)
{
	return &p->t[p->pos];
}

static SurqlToken *
peek2(Parser *p)
{
	return p->t[p->pos].kind == TK_EOF ? &p->t[p->pos] : &p->t[p->pos + 1];
}

static SurqlToken *
next(Parser *p)
{
	SurqlToken *t = &p->t[p->pos];

	if (t->kind != TK_EOF)
		p->pos++;
	return t;
}

/* fail with message, palloc'd (dllb_surql_parse_free frees it) */
static pg_attribute_noreturn() void
fail_message(Parser *p, char *message)
{
	SurqlToken *t = peek(p);

	p->res->failed = true;
	p->res->message = message;
	p->res->err_offset = t->offset;
	p->res->err_line = t->line;
	p->res->err_column = t->column;
	longjmp(p->fail, 1);
}

/* "expected X, found Y", Y describing the current token */
static pg_attribute_noreturn() void
fail(Parser *p, const char *expected)
{
	SurqlToken *t = peek(p);
	char		found[96];

	switch (t->kind)
	{
		case TK_KEYWORD:
			snprintf(found, sizeof(found), "keyword %s", dllb_surql_keyword_name(t->keyword));
			break;
		case TK_EOF:
			snprintf(found, sizeof(found), "end of input");
			break;
		case TK_IDENT:
		case TK_STRING:
		case TK_DATETIME:
		case TK_INTEGER:
		case TK_FLOAT:
		case TK_PARAM:
			snprintf(found, sizeof(found), "%s \"%.40s\"", dllb_surql_token_name(t->kind), t->text);
			break;
		default:
			snprintf(found, sizeof(found), "\"%.40s\"", t->text);
			break;
	}
	fail_message(p, psprintf("expected %s, found %s", expected, found));
}

static bool
is_kw(Parser *p, SurqlKeyword kw)
{
	return peek(p)->kind == TK_KEYWORD && peek(p)->keyword == kw;
}

static bool
accept_kw(Parser *p, SurqlKeyword kw)
{
	if (!is_kw(p, kw))
		return false;
	next(p);
	return true;
}

static void
expect_kw(Parser *p, SurqlKeyword kw)
{
	if (!accept_kw(p, kw))
		fail(p, dllb_surql_keyword_name(kw));
}

static bool
accept(Parser *p, SurqlTokenKind kind)
{
	if (peek(p)->kind != kind)
		return false;
	next(p);
	return true;
}

static void
expect(Parser *p, SurqlTokenKind kind, const char *what)
{
	if (!accept(p, kind))
		fail(p, what);
}

/* a name: an identifier, or a keyword used as one */
static bool
is_name(Parser *p)
{
	return peek(p)->kind == TK_IDENT || peek(p)->kind == TK_KEYWORD;
}

/* the next token is the plain word w (any case); if so, consume it */
static bool
accept_word(Parser *p, const char *w)
{
	SurqlToken *t = peek(p);

	if ((t->kind != TK_IDENT && t->kind != TK_KEYWORD) || pg_strcasecmp(t->text, w) != 0)
		return false;
	next(p);
	return true;
}

static char *
expect_name(Parser *p, const char *what)
{
	SurqlToken *t;

	if (!is_name(p))
		fail(p, what);
	t = next(p);
	return dupstr(p, t->text, t->len);
}

static SurqlNode *
node(Parser *p, SurqlNodeKind kind)
{
	SurqlNode  *n = alloc(p, sizeof(SurqlNode));

	n->kind = kind;
	n->offset = peek(p)->offset;
	return n;
}

static void
enter(Parser *p)
{
	if (++p->depth > SURQL_MAX_DEPTH)
		fail_message(p, psprintf("statement nested more than %d levels deep", SURQL_MAX_DEPTH));
}

/* ---- expressions ------------------------------------------------------------ */

static SurqlNode *parse_expr(Parser *p);
static SurqlNode *parse_primary(Parser *p);
static SurqlStmt *parse_stmt(Parser *p);
static void parse_if(Parser *p, SurqlStmt *s, bool *then_form);
static void parse_block(Parser *p, SurqlStmt ***out, int *n, bool brace);
static bool accept_word(Parser *p, const char *w);
static bool starts_object(Parser *p);
static bool starts_set(Parser *p);
static bool starts_word_stmt(Parser *p);

static bool
starts_stmt(Parser *p)
{
	static const SurqlKeyword kws[] = {KW_SELECT, KW_CREATE, KW_INSERT, KW_UPDATE,
	KW_UPSERT, KW_DELETE, KW_RELATE};
	int			i;

	for (i = 0; i < lengthof(kws); i++)
		if (is_kw(p, kws[i]))
			return true;
	return false;
}

static void
finish_list(Parser *p, PtrList *l, SurqlNode *n)
{
	n->items = (SurqlNode **) l->items;
	n->nitems = l->n;
}

/* whether a string token is a uuid's text: 8-4-4-4-12 hex digits */
static bool
is_uuid_text(const SurqlToken *t)
{
	int			i;

	if (t->len != 36)
		return false;
	for (i = 0; i < 36; i++)
	{
		char		c = t->text[i];

		if (i == 8 || i == 13 || i == 18 || i == 23 ? c != '-' :
			!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static SurqlNode *
parse_record_key(Parser *p, SurqlNode *rec)
{
	SurqlToken *t = peek(p);
	SurqlNode  *k;

	if (t->kind == TK_INTEGER)
	{
		k = node(p, SN_INT);
		k->ival = next(p)->ival;
	}
	else if (t->kind == TK_IDENT || t->kind == TK_KEYWORD || (t->kind == TK_STRING && is_uuid_text(t)))
	{
		/* a name, or a uuid (t:u'...': its text is the key) */
		k = node(p, SN_STRING);
		next(p);
		k->str = dupstr(p, t->text, t->len);
	}
	else if (t->kind == TK_LBRACKET)
	{
		/*
		 * t:[e, ...]: an array key of expressions; a bare .. element (an
		 * SN_RANGE without ends) is the greatest value, for range ends
		 * such as t:['a', NONE]..['a', ..]
		 */
		PtrList		items = {0};

		k = node(p, SN_ARRAY);
		next(p);
		enter(p);
		while (peek(p)->kind != TK_RBRACKET)
		{
			if (peek(p)->kind == TK_DOTDOT &&
				(peek2(p)->kind == TK_COMMA || peek2(p)->kind == TK_RBRACKET))
			{
				next(p);
				list_add(p, &items, node(p, SN_RANGE));
			}
			else
				list_add(p, &items, parse_expr(p));
			if (!accept(p, TK_COMMA))
				break;
		}
		expect(p, TK_RBRACKET, "] or ,");
		p->depth--;
		finish_list(p, &items, k);
	}
	else if (t->kind == TK_LBRACE && starts_object(p))
	{
		/* t:{k: e, ...}: an object key */
		enter(p);
		k = parse_primary(p);
		p->depth--;
		if (k->kind != SN_OBJECT)
			fail(p, "an object record key");
	}
	else
		fail(p, "a record key");
	rec->key = k;
	return rec;
}

/*
 * whether a record key follows t:a.. (the end of the range): a keyword is
 * one only after ..= (t:1.. LIMIT 3 is an open range; the printer quotes
 * keys that are keywords)
 */
static bool
range_end_follows(Parser *p, bool inclusive)
{
	SurqlTokenKind k = peek(p)->kind;

	return k == TK_INTEGER || k == TK_IDENT || (k == TK_KEYWORD && inclusive) ||
		k == TK_LBRACKET || (k == TK_LBRACE && starts_object(p));
}

/* the most records a mock target |t:n| may name */
#define SURQL_MOCK_MAX 10000

/*
 * the most text all the mock targets of one parse may expand to, so that
 * the statement's canonical text stays well under the lexer's 1 MB limit
 * (a long table name times many records would pass it)
 */
#define SURQL_MOCK_TEXT_MAX (512 * 1024)

/*
 * parse_mock - SurrealQL's mock targets: |t:n| is n new records of t (the
 * array [t, t, ...]: CREATE makes a record for each time t is named) and
 * |t:a..b| the records t:a up to t:b (b excluded; |t:a..=b| includes it),
 * the array [t:a, ...]
 */
static SurqlNode *
parse_mock(Parser *p)
{
	SurqlNode  *n = node(p, SN_ARRAY);
	PtrList		items = {0};
	char	   *table;
	int64		lo;
	int64		hi = 0;
	int64		count;
	int64		i;
	bool		range = false;

	next(p);
	table = expect_name(p, "a table name");
	expect(p, TK_COLON, ":");
	if (peek(p)->kind != TK_INTEGER)
		fail(p, "a number of records or a range a..b");
	lo = next(p)->ival;
	if (accept(p, TK_DOTDOT))
	{
		bool		inclusive = accept(p, TK_EQ);

		range = true;
		if (peek(p)->kind != TK_INTEGER)
			fail(p, "the end of the range");
		hi = next(p)->ival;
		if (inclusive && hi < PG_INT64_MAX)
			hi++;
	}
	if (range)
		count = hi <= lo ? 0 : ((uint64) hi - (uint64) lo > SURQL_MOCK_MAX ? -1 : hi - lo);
	else
		count = lo > SURQL_MOCK_MAX ? -1 : lo;
	if (count < 0)
		fail_message(p, psprintf("a mock target of at most %d records", SURQL_MOCK_MAX));
	/* each record prints as its table name (quoted at worst), :key and ", " */
	p->mock_text += count * (2 * (int64) strlen(table) + 4 + (range ? 21 : 0));
	if (p->mock_text > SURQL_MOCK_TEXT_MAX)
		fail_message(p, psprintf("mock targets expanding to at most %d kB of text in all",
								 SURQL_MOCK_TEXT_MAX / 1024));
	expect(p, TK_PIPE, "|");
	for (i = 0; i < count; i++)
	{
		SurqlNode  *item;

		if (range)
		{
			item = node(p, SN_RECORD);
			item->str = table;
			item->key = node(p, SN_INT);
			item->key->ival = lo + i;
		}
		else
		{
			item = node(p, SN_FIELD);
			item->keys = alloc(p, sizeof(char *));
			item->keys[0] = table;
			item->nitems = 1;
		}
		list_add(p, &items, item);
	}
	finish_list(p, &items, n);
	return n;
}

static SurqlNode *
parse_graph_steps(Parser *p, SurqlNode *start)
{
	SurqlNode  *g = node(p, SN_GRAPH);
	PtrList		steps = {0};

	g->a = start;
	if (start)
		g->offset = start->offset;
	while (peek(p)->kind == TK_ARROW_OUT || peek(p)->kind == TK_ARROW_IN ||
		   peek(p)->kind == TK_ARROW_BOTH)
	{
		SurqlNode  *s = node(p, SN_STEP);

		s->op = next(p)->kind;
		if (accept(p, TK_LPAREN))
		{
			/*
			 * ->(t WHERE e): the same as ->t[WHERE e]; ->(a, b): edges of
			 * either table (keys, in that order); ->(t LIMIT n START m): n
			 * edges per record (key), after the first m (b); ->(SELECT ...
			 * FROM t ...): a query over the edges (stmt)
			 */
			if (is_kw(p, KW_SELECT))
			{
				enter(p);
				s->stmt = parse_stmt(p);
				p->depth--;
				if (s->stmt->nfrom != 1 ||
					!((s->stmt->from[0]->kind == SN_FIELD && s->stmt->from[0]->nitems == 1) ||
					  s->stmt->from[0]->kind == SN_RECORD))
					fail(p, "one edge table (or its records) after FROM in a graph step");
				s->str = s->stmt->from[0]->kind == SN_RECORD ? s->stmt->from[0]->str :
					s->stmt->from[0]->keys[0];
				expect(p, TK_RPAREN, ")");
				list_add(p, &steps, s);
				continue;
			}
			if (accept(p, TK_QUESTION))
				s->str = dupstr(p, "?", 1);
			else
				s->str = expect_name(p, "a table name or ?");
			if (strcmp(s->str, "?") != 0 && peek(p)->kind == TK_COMMA)
			{
				PtrList		names = {0};

				list_add(p, &names, s->str);
				while (accept(p, TK_COMMA))
					list_add(p, &names, expect_name(p, "a table name"));
				s->keys = (char **) names.items;
				s->nitems = names.n;
			}
			if (accept_kw(p, KW_WHERE))
				s->a = parse_expr(p);
			for (;;)
			{
				if (s->key == NULL && accept_kw(p, KW_LIMIT))
					s->key = parse_expr(p);
				else if (s->b == NULL && accept_kw(p, KW_START))
				{
					accept_word(p, "AT");
					s->b = parse_expr(p);
				}
				else
					break;
			}
			expect(p, TK_RPAREN, s->a || s->key || s->b ? ")" : "WHERE, LIMIT, START or )");
			list_add(p, &steps, s);
			continue;
		}
		if (accept(p, TK_QUESTION))
			s->str = dupstr(p, "?", 1);
		else
			s->str = expect_name(p, "a table name or ? after the arrow");
		if (strcmp(s->str, "?") != 0 && peek(p)->kind == TK_COLON)
		{
			/*
			 * ->e:k, ->e:a..b: the edges of e with that id (in that
			 * range), the same as ->(SELECT * FROM e:k)
			 */
			SurqlStmt  *st = alloc(p, sizeof(SurqlStmt));
			SurqlNode  *rec = node(p, SN_RECORD);

			rec->str = s->str;
			next(p);
			if (peek(p)->kind != TK_DOTDOT)
				parse_record_key(p, rec);
			if (accept(p, TK_DOTDOT))
			{
				SurqlNode	end = {0};

				rec->flag = true;
				rec->ival = accept(p, TK_EQ);
				if (range_end_follows(p, rec->ival))
				{
					parse_record_key(p, &end);
					rec->b = end.key;
				}
				else if (rec->ival)
					fail(p, "a record key after ..=");
			}
			else if (rec->key == NULL)
				fail(p, "a record key");
			st->kind = SS_SELECT;
			st->offset = rec->offset;
			st->fields = alloc(p, sizeof(SurqlNode *));
			st->fields[0] = node(p, SN_ALL);
			st->aliases = alloc(p, sizeof(char *));
			st->aliases[0] = NULL;
			st->nfields = 1;
			st->from = alloc(p, sizeof(SurqlNode *));
			st->from[0] = rec;
			st->nfrom = 1;
			s->stmt = st;
			list_add(p, &steps, s);
			continue;
		}
		if (accept(p, TK_LBRACKET))
		{
			expect_kw(p, KW_WHERE);
			s->a = parse_expr(p);
			expect(p, TK_RBRACKET, "]");
		}
		list_add(p, &steps, s);
	}
	finish_list(p, &steps, g);
	return g;
}

static SurqlNode *parse_primary(Parser *p);
static void parse_if(Parser *p, SurqlStmt *s, bool *then_form);

/*
 * the one expression of a branch (or an IF of such branches), or NULL
 * (break and continue are no expressions)
 */
static SurqlNode *if_value(Parser *p, SurqlStmt *s);

static SurqlNode *
branch_value(Parser *p, SurqlStmt **stmts, int n)
{
	SurqlNode  *e;

	if (n != 1)
		return NULL;
	if (stmts[0]->kind == SS_EXPR || stmts[0]->kind == SS_RETURN)
	{
		e = stmts[0]->expr;
		if (e->kind == SN_FIELD && e->nitems == 1 &&
			(pg_strcasecmp(e->keys[0], "break") == 0 || pg_strcasecmp(e->keys[0], "continue") == 0))
			return NULL;
		return e;
	}
	if (stmts[0]->kind == SS_IF)
		return if_value(p, stmts[0]);
	return NULL;
}

static SurqlNode *
if_value(Parser *p, SurqlStmt *s)
{
	SurqlNode  *n = node(p, SN_IF);

	n->offset = s->offset;
	n->a = s->where;
	n->b = branch_value(p, s->body, s->nbody);
	if (n->b == NULL)
		return NULL;
	if (s->has_else)
	{
		n->key = branch_value(p, s->else_body, s->nelse);
		if (n->key == NULL)
			return NULL;
	}
	return n;
}
static SurqlNode *binary(Parser *p, int op, SurqlNode *a, SurqlNode *b);
static SurqlNode *parse_path_tail(Parser *p, SurqlNode *f);

static int64
parse_depth(Parser *p)
{
	SurqlToken *t = peek(p);

	if (t->kind != TK_INTEGER || t->ival < 1 || t->ival > SURQL_RECURSE_MAX)
		fail(p, "a recursion depth from 1 to " CppAsString2(SURQL_RECURSE_MAX));
	return next(p)->ival;
}

/*
 * the {f, g: path, h: path.@} after a recursion (the dot is done): an
 * SN_DESTRUCTURE whose b holds each field's path (SN_NONE for a plain
 * field, SN_FIELD for a field path, SN_GRAPH for graph steps), flag set on
 * a path that ends in .@ (the destructuring again, one level deeper)
 */
static SurqlNode *
parse_recurse_destructure(Parser *p)
{
	SurqlNode  *d = node(p, SN_DESTRUCTURE);
	PtrList		keys = {0};
	PtrList		paths = {0};

	expect(p, TK_LBRACE, "{");
	do
	{
		SurqlNode  *v;

		list_add(p, &keys, expect_name(p, "a field name"));
		if (!accept(p, TK_COLON))
		{
			list_add(p, &paths, node(p, SN_NONE));
			continue;
		}
		if (peek(p)->kind == TK_ARROW_OUT || peek(p)->kind == TK_ARROW_IN ||
			peek(p)->kind == TK_ARROW_BOTH)
			v = parse_graph_steps(p, NULL);
		else
		{
			v = node(p, SN_FIELD);
			v->keys = alloc(p, sizeof(char *));
			v->keys[0] = expect_name(p, "a field name or a graph step after :");
			v->nitems = 1;
			parse_path_tail(p, v);
		}
		if (peek(p)->kind == TK_DOT && peek2(p)->kind == TK_AT)
		{
			next(p);
			next(p);
			v->flag = true;
		}
		list_add(p, &paths, v);
	} while (accept(p, TK_COMMA));
	expect(p, TK_RBRACE, "} or ,");
	d->keys = (char **) keys.items;
	d->nitems = keys.n;
	d->b = node(p, SN_ARRAY);
	finish_list(p, &paths, d->b);
	return d;
}

/*
 * start.{n}, .{m..n}, .{..n}, .{m..}, .{..}, each with an optional
 * +collect, +path or +shortest=target, and then the graph steps that
 * repeat.  The dot is the current token.
 */
static SurqlNode *
parse_recurse(Parser *p, SurqlNode *start)
{
	SurqlNode  *r = node(p, SN_RECURSE);

	r->a = start;
	if (start)
		r->offset = start->offset;
	next(p);
	expect(p, TK_LBRACE, "{");
	r->ival = 1;
	if (peek(p)->kind == TK_INTEGER)
	{
		r->ival = parse_depth(p);
		r->ival2 = r->ival;
	}
	if (accept(p, TK_DOTDOT))
	{
		r->ival2 = 0;
		if (peek(p)->kind == TK_INTEGER)
		{
			r->ival2 = parse_depth(p);
			if (r->ival2 < r->ival)
				fail(p, "a maximum depth no smaller than the minimum");
		}
	}
	else if (r->ival2 == 0)
		fail(p, "a depth or ..");
	if (accept(p, TK_PLUS))
	{
		SurqlToken *t = peek(p);

		if (t->kind == TK_IDENT && pg_strcasecmp(t->text, "collect") == 0)
			r->op = SURQL_RECURSE_COLLECT;
		else if (t->kind == TK_IDENT && pg_strcasecmp(t->text, "path") == 0)
			r->op = SURQL_RECURSE_PATH;
		else if (t->kind == TK_IDENT && pg_strcasecmp(t->text, "shortest") == 0)
			r->op = SURQL_RECURSE_SHORTEST;
		else
			fail(p, "collect, path or shortest after +");
		next(p);
		if (r->op == SURQL_RECURSE_SHORTEST)
		{
			expect(p, TK_EQ, "=");
			enter(p);
			r->key = parse_primary(p);
			p->depth--;
		}
		/* +inclusive: the start too (flag) */
		if (accept(p, TK_PLUS))
		{
			if (peek(p)->kind != TK_IDENT || pg_strcasecmp(peek(p)->text, "inclusive") != 0)
				fail(p, "inclusive after the second +");
			next(p);
			r->flag = true;
		}
	}
	expect(p, TK_RBRACE, "}");
	if (peek(p)->kind == TK_DOT && peek2(p)->kind == TK_LBRACE)
	{
		/* .{..}.{f, g: path.@}: a destructuring that repeats at each .@ */
		SurqlNode  *g = node(p, SN_GRAPH);

		next(p);
		r->b = parse_recurse_destructure(p);
		g->a = r;
		g->offset = r->offset;
		return g;
	}
	if ((peek(p)->kind == TK_DOT && (peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD)) ||
		(peek(p)->kind == TK_LPAREN && peek2(p)->kind == TK_DOT))
	{
		/*
		 * .{..}.f.g or .{..}(.f.g): a field path that repeats (record
		 * links), in r->b; the path of no graph steps that starts with r
		 */
		SurqlNode  *g = node(p, SN_GRAPH);
		SurqlNode  *f = node(p, SN_FIELD);
		bool		paren = accept(p, TK_LPAREN);

		if (peek(p)->kind != TK_DOT || (peek2(p)->kind != TK_IDENT && peek2(p)->kind != TK_KEYWORD))
			fail(p, "a field name after .");
		r->b = parse_path_tail(p, f);
		/* .{..}.f() is no field path (a method of the recursion) */
		if (f->nitems == 0)
			fail(p, "a field name after .");
		if (paren)
			expect(p, TK_RPAREN, ")");
		g->a = r;
		g->offset = r->offset;
		return g;
	}
	if (accept(p, TK_LPAREN))
	{
		/* .{..}(->e->t): the steps that repeat, in parentheses */
		SurqlNode  *g;

		if (peek(p)->kind != TK_ARROW_OUT && peek(p)->kind != TK_ARROW_IN &&
			peek(p)->kind != TK_ARROW_BOTH)
			fail(p, "a graph step (->, <- or <->) or a field in the parentheses after the recursion");
		g = parse_graph_steps(p, r);
		expect(p, TK_RPAREN, ")");
		return g;
	}
	if (peek(p)->kind != TK_ARROW_OUT && peek(p)->kind != TK_ARROW_IN &&
		peek(p)->kind != TK_ARROW_BOTH)
		fail(p, "a graph step (->, <- or <->) after the recursion");
	return parse_graph_steps(p, r);
}

/* a field path continuing after a dot */
static SurqlNode *
parse_path_tail(Parser *p, SurqlNode *f)
{
	PtrList		keys = {0};
	int			i;

	for (i = 0; i < f->nitems; i++)
		list_add(p, &keys, f->keys[i]);
	while (peek(p)->kind == TK_DOT &&
		   (((peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD) &&
			 p->t[p->pos + 2].kind != TK_LPAREN) ||
			(p->star_keys && peek2(p)->kind == TK_STAR)))
	{
		next(p);
		if (accept(p, TK_STAR))
			list_add(p, &keys, "*");	/* a.*.b: b of each element (or value) of a */
		else
			list_add(p, &keys, expect_name(p, "a field name"));
	}
	f->keys = (char **) keys.items;
	f->nitems = keys.n;
	return f;
}

/*
 * a word that starts with a digit where a value is expected: a number with
 * a suffix (1f, 1.5f a float; 3dec a decimal) or a duration (1h30m, 7d,
 * 250ms); anything else is an error
 */
static SurqlNode *
parse_number_word(Parser *p)
{
	SurqlToken *t = peek(p);
	const char *c = t->text;
	SurqlNode  *n;
	int			len = t->len;
	int			i = 0;
	bool		dot = false;

	while (i < len && ((c[i] >= '0' && c[i] <= '9') || (c[i] == '.' && !dot)))
	{
		dot |= c[i] == '.';
		i++;
	}
	if ((len - i == 1 && c[i] == 'f') || (len - i == 3 && strncmp(c + i, "dec", 3) == 0))
	{
		n = node(p, SN_FLOAT);
		n->str = dupstr(p, c, len);
		next(p);
		return n;
	}
	/* a duration: one or more number and unit */
	for (i = 0; i < len;)
	{
		int			d = i;
		static const char *const units[] = {"ns", "us", "ms", "s", "m", "h", "d", "w", "y"};
		int			u;
		bool		found = false;

		while (i < len && c[i] >= '0' && c[i] <= '9')
			i++;
		if (i == d)
			fail(p, "a number, a number with a suffix (1f, 1dec) or a duration (1h30m)");
		for (u = 0; u < lengthof(units) && !found; u++)
		{
			int			ul = strlen(units[u]);

			if (len - i >= ul && strncmp(c + i, units[u], ul) == 0 &&
				(i + ul == len || (c[i + ul] >= '0' && c[i + ul] <= '9')))
			{
				i += ul;
				found = true;
			}
		}
		if (!found)
			fail(p, "a number, a number with a suffix (1f, 1dec) or a duration (1h30m)");
	}
	n = node(p, SN_DURATION);
	n->str = dupstr(p, c, len);
	next(p);
	return n;
}

static SurqlNode *
parse_primary(Parser *p)
{
	SurqlToken *t = peek(p);
	SurqlNode  *n;

	switch (t->kind)
	{
		case TK_INTEGER:
			n = node(p, SN_INT);
			n->ival = next(p)->ival;
			return n;
		case TK_FLOAT:
			n = node(p, SN_FLOAT);
			next(p);
			n->str = dupstr(p, t->text, t->len);
			return n;
		case TK_STRING:
			n = node(p, SN_STRING);
			next(p);
			n->str = dupstr(p, t->text, t->len);
			n->flag = t->flag;	/* u'...': a uuid */
			return n;
		case TK_DATETIME:
			n = node(p, SN_DATETIME);
			next(p);
			n->str = dupstr(p, t->text, t->len);
			return n;
		case TK_REGEX:
			n = node(p, SN_REGEX);
			next(p);
			n->str = dupstr(p, t->text, t->len);
			return n;
		case TK_PARAM:
			n = node(p, SN_PARAM);
			next(p);
			n->str = dupstr(p, t->text, t->len);
			return n;
		case TK_LPAREN:
			next(p);
			if (starts_stmt(p))
			{
				n = node(p, SN_SUBQUERY);
				n->stmt = parse_stmt(p);
			}
			else
				n = parse_expr(p);
			if (peek(p)->kind == TK_COMMA && n->kind != SN_SUBQUERY)
			{
				/*
				 * (x, y): a geometry point, the GeoJSON object SurrealQL
				 * takes for one: {type: 'Point', coordinates: [x, y]}
				 */
				SurqlNode  *pt = node(p, SN_OBJECT);
				SurqlNode  *xy = node(p, SN_ARRAY);
				SurqlNode  *kind = node(p, SN_STRING);

				next(p);
				xy->nitems = 2;
				xy->items = alloc(p, sizeof(SurqlNode *) * 2);
				xy->items[0] = n;
				xy->items[1] = parse_expr(p);
				kind->str = dupstr(p, "Point", 5);
				pt->nitems = 2;
				pt->keys = alloc(p, sizeof(char *) * 2);
				pt->keys[0] = dupstr(p, "type", 4);
				pt->keys[1] = dupstr(p, "coordinates", 11);
				pt->items = alloc(p, sizeof(SurqlNode *) * 2);
				pt->items[0] = kind;
				pt->items[1] = xy;
				pt->offset = n->offset;
				n = pt;
			}
			expect(p, TK_RPAREN, ")");
			return n;
		case TK_LBRACKET:
			{
				PtrList		items = {0};

				n = node(p, SN_ARRAY);
				next(p);
				while (peek(p)->kind != TK_RBRACKET)
				{
					list_add(p, &items, parse_expr(p));
					if (!accept(p, TK_COMMA))
						break;
				}
				expect(p, TK_RBRACKET, "] or ,");
				finish_list(p, &items, n);
				return n;
			}
		case TK_LBRACE:
			if (!starts_object(p) && starts_set(p))
			{
				/* {a, b, ...}: a set (a comma tells it from a block { e }) */
				PtrList		items = {0};

				n = node(p, SN_SET);
				next(p);
				/* {,}: the empty set */
				if (peek(p)->kind == TK_COMMA && peek2(p)->kind == TK_RBRACE)
					next(p);
				do
				{
					if (peek(p)->kind == TK_RBRACE)
						break;
					list_add(p, &items, parse_expr(p));
				} while (accept(p, TK_COMMA));
				expect(p, TK_RBRACE, "} or ,");
				finish_list(p, &items, n);
				return n;
			}
			if (!starts_object(p))
			{
				/* a block { e } (or { RETURN e }) inside an expression: e */
				int			at = p->pos;
				SurqlStmt **body;
				int			nbody;

				next(p);
				enter(p);
				parse_block(p, &body, &nbody, true);
				p->depth--;
				n = branch_value(p, body, nbody);
				if (n == NULL)
				{
					p->pos = at;
					fail_message(p, pstrdup("a block inside an expression is one expression or RETURN e in dllb.query"));
				}
				return n;
			}
			{
				PtrList		keys = {0};
				PtrList		values = {0};

				n = node(p, SN_OBJECT);
				next(p);
				while (peek(p)->kind != TK_RBRACE)
				{
					SurqlToken *k = peek(p);

					if (k->kind != TK_IDENT && k->kind != TK_KEYWORD && k->kind != TK_STRING &&
						k->kind != TK_INTEGER)
						fail(p, "an object key");
					next(p);
					list_add(p, &keys, dupstr(p, k->text, k->len));
					expect(p, TK_COLON, ":");
					list_add(p, &values, parse_expr(p));
					if (!accept(p, TK_COMMA))
						break;
				}
				expect(p, TK_RBRACE, "} or ,");
				n->keys = (char **) keys.items;
				finish_list(p, &values, n);
				return n;
			}
		case TK_ARROW_OUT:
		case TK_ARROW_IN:
		case TK_ARROW_BOTH:
			return parse_graph_steps(p, NULL);
		case TK_PIPE:
			if ((peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD) &&
				p->t[p->pos + 2].kind == TK_COLON)
				return parse_mock(p);
			/* FALLTHROUGH */
		case TK_OROR:
			{
				/* a closure |$a, $b| body (|| body: no parameters) */
				PtrList		ps = {0};

				n = node(p, SN_CLOSURE);
				if (next(p)->kind == TK_PIPE)
				{
					while (peek(p)->kind == TK_PARAM)
					{
						SurqlNode  *pn = node(p, SN_PARAM);

						pn->str = dupstr(p, peek(p)->text, peek(p)->len);
						next(p);
						list_add(p, &ps, pn);
						if (!accept(p, TK_COMMA))
							break;
					}
					expect(p, TK_PIPE, ps.n ? "| or ," : "a $parameter or |");
				}
				finish_list(p, &ps, n);
				enter(p);
				if (peek(p)->kind == TK_LBRACE && !starts_object(p) && !starts_set(p))
				{
					/* a block body { e } or { RETURN e }: the closure of e */
					int			at = p->pos;
					SurqlStmt **body;
					int			nbody;
					SurqlNode  *e;

					next(p);
					parse_block(p, &body, &nbody, true);
					e = branch_value(p, body, nbody);
					if (e == NULL)
					{
						p->pos = at;
						fail_message(p, pstrdup("a closure's block body is one expression or RETURN e in dllb.query"));
					}
					n->a = e;
				}
				else
					n->a = parse_expr(p);
				p->depth--;
				return n;
			}
		case TK_DOT:
			if (peek2(p)->kind == TK_LBRACE)
				return parse_recurse(p, NULL);
			fail(p, "an expression");
		case TK_AT:
			/* @->e->t, @.{..}: from the current record, as ->e->t and .{..} */
			next(p);
			if (peek(p)->kind == TK_ARROW_OUT || peek(p)->kind == TK_ARROW_IN ||
				peek(p)->kind == TK_ARROW_BOTH)
				return parse_graph_steps(p, NULL);
			if (peek(p)->kind == TK_DOT && peek2(p)->kind == TK_LBRACE)
				return parse_recurse(p, NULL);
			fail(p, "->, <-, <-> or .{ after @");
		case TK_KEYWORD:
			switch (t->keyword)
			{
				case KW_NULL:
					next(p);
					return node(p, SN_NULL);
				case KW_NONE:
					next(p);
					return node(p, SN_NONE);
				case KW_TRUE:
				case KW_FALSE:
					n = node(p, SN_BOOL);
					n->ival = next(p)->keyword == KW_TRUE;
					return n;
				case KW_IF:
					if (peek2(p)->kind == TK_COLON || peek2(p)->kind == TK_DOT ||
						peek2(p)->kind == TK_COMMA || peek2(p)->kind == TK_RPAREN ||
						peek2(p)->kind == TK_RBRACE || peek2(p)->kind == TK_RBRACKET ||
						peek2(p)->kind == TK_SEMICOLON || peek2(p)->kind == TK_EOF)
						break;	/* a field named if */
					{
						/*
						 * IF c { a } ELSE { b } as a value: an expression when
						 * each branch is one expression, else the statement as
						 * a subquery
						 */
						SurqlStmt  *st = alloc(p, sizeof(SurqlStmt));
						bool		then_form = false;
						int			at = p->pos;

						next(p);
						enter(p);
						parse_if(p, st, &then_form);
						if (then_form)
							expect_kw(p, KW_END);
						p->depth--;
						n = if_value(p, st);
						if (n == NULL)
						{
							p->pos = at;
							n = node(p, SN_SUBQUERY);
							n->stmt = parse_stmt(p);
						}
						return n;
					}
				default:
					break;
			}
			/* another keyword: a name, as below */
			/* FALLTHROUGH */
		case TK_IDENT:
			/* 1h30m, 1.5f: a word that starts with a digit (`6e` is a name) */
			if (t->text[0] >= '0' && t->text[0] <= '9' && !t->flag)
				return parse_number_word(p);
			/* FALLTHROUGH */
			{
				SurqlToken *name = next(p);

				if (peek(p)->kind == TK_COLON)
				{
					n = node(p, SN_RECORD);
					n->offset = name->offset;
					n->str = dupstr(p, name->text, name->len);
					next(p);
					if (peek(p)->kind != TK_DOTDOT)
						parse_record_key(p, n);
					if (peek(p)->kind == TK_DOTDOT)
					{
						/* t:a..b, t:a..=b, t:..b, t:a..: a range of records */
						SurqlNode	end = {0};

						next(p);
						n->flag = true;
						n->ival = accept(p, TK_EQ);
						if (range_end_follows(p, n->ival))
						{
							parse_record_key(p, &end);
							n->b = end.key;
						}
						else if (n->ival)
							fail(p, "a record key after ..=");
					}
					else if (n->key == NULL)
						fail(p, "a record key");
					return n;
				}
				if (peek(p)->kind == TK_DOUBLECOLON || peek(p)->kind == TK_LPAREN)
				{
					char	   *fn;
					PtrList		args = {0};
					int			k;

					if (!dllb_surql_is_plain_word(name->text))
						fail(p, "a plain function name");
					fn = dupstr(p, name->text, name->len);
					while (accept(p, TK_DOUBLECOLON))
					{
						SurqlToken *part = peek(p);
						Size		flen = strlen(fn);
						char	   *longer;

						if (!is_name(p) || !dllb_surql_is_plain_word(part->text))
							fail(p, "a function name after ::");
						next(p);
						longer = alloc(p, flen + 2 + part->len + 1);
						memcpy(longer, fn, flen);
						memcpy(longer + flen, "::", 2);
						memcpy(longer + flen + 2, part->text, part->len + 1);
						fn = longer;
					}
					/*
					 * function names are case-insensitive: count() is
					 * COUNT(); those of DEFINE FUNCTION (fn::name) keep the
					 * case of their name
					 */
					if (pg_strncasecmp(fn, "fn::", 4) == 0)
					{
						fn[0] = 'f';
						fn[1] = 'n';
					}
					else
						for (k = 0; fn[k]; k++)
							fn[k] = pg_ascii_tolower((unsigned char) fn[k]);
					n = node(p, SN_CALL);
					n->offset = name->offset;
					n->str = fn;
					if (strstr(fn, "::") != NULL && peek(p)->kind != TK_LPAREN)
					{
						/* math::pi: a constant */
						n->op = 1;
						return n;
					}
					expect(p, TK_LPAREN, "(");
					while (peek(p)->kind != TK_RPAREN)
					{
						list_add(p, &args, parse_expr(p));
						if (!accept(p, TK_COMMA))
							break;
					}
					expect(p, TK_RPAREN, ") or ,");
					finish_list(p, &args, n);
					return n;
				}
				n = node(p, SN_FIELD);
				n->offset = name->offset;
				n->keys = alloc(p, sizeof(char *));
				n->keys[0] = dupstr(p, name->text, name->len);
				n->nitems = 1;
				return n;
			}
		default:
			fail(p, "an expression");
	}
}

static SurqlNode *
parse_postfix(Parser *p)
{
	SurqlNode  *n = parse_primary(p);

	for (;;)
	{
		if (peek(p)->kind == TK_DOT && (peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD) &&
			p->t[p->pos + 2].kind == TK_LPAREN && dllb_surql_is_plain_word(peek2(p)->text))
		{
			/* v.name(args): the method call name(v, args) (flag) */
			SurqlNode  *m = node(p, SN_CALL);
			PtrList		args = {0};
			int			k;

			next(p);
			m->str = expect_name(p, "a method name");
			for (k = 0; m->str[k]; k++)
				m->str[k] = pg_ascii_tolower((unsigned char) m->str[k]);
			m->flag = true;
			m->offset = n->offset;
			list_add(p, &args, n);
			expect(p, TK_LPAREN, "(");
			enter(p);
			while (peek(p)->kind != TK_RPAREN)
			{
				list_add(p, &args, parse_expr(p));
				if (!accept(p, TK_COMMA))
					break;
			}
			p->depth--;
			expect(p, TK_RPAREN, ") or ,");
			finish_list(p, &args, m);
			n = m;
		}
		else if (peek(p)->kind == TK_DOT && n->kind == SN_FIELD &&
				 (((peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD) &&
				   p->t[p->pos + 2].kind != TK_LPAREN) ||
				  (peek2(p)->kind == TK_STAR && p->t[p->pos + 2].kind == TK_DOT)))
		{
			/* (name( that is no method: an error below); a.*.b flattens */
			p->star_keys = true;
			n = parse_path_tail(p, n);
			p->star_keys = false;
		}
		else if (peek(p)->kind == TK_DOT && n->kind == SN_RECORD && !n->flag &&
				 (peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD) &&
				 p->t[p->pos + 2].kind != TK_LPAREN)
		{
			/* t:k.f.g: a field of the record, a path of no graph steps */
			SurqlNode  *g = node(p, SN_GRAPH);
			SurqlNode  *f = node(p, SN_FIELD);

			g->a = n;
			g->offset = n->offset;
			g->b = parse_path_tail(p, f);
			n = g;
		}
		else if (peek(p)->kind == TK_DOT && n->kind == SN_PARAM && n->nitems == 0 &&
				 (peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD) &&
				 p->t[p->pos + 2].kind != TK_LPAREN)
			n = parse_path_tail(p, n);	/* $after.email: a field of the value */
		else if (peek(p)->kind == TK_DOT &&
				 (n->kind == SN_OBJECT ||
				  (n->kind == SN_BINARY && n->op == SURQL_OP_INDEX)) &&
				 (peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD) &&
				 p->t[p->pos + 2].kind != TK_LPAREN)
		{
			/* { a: 1 }.a, $v[0].a: the field, as ["a"] */
			SurqlNode  *k = node(p, SN_STRING);

			next(p);
			k->str = expect_name(p, "a field name");
			n = binary(p, SURQL_OP_INDEX, n, k);
		}
		else if (peek(p)->kind == TK_DOT && peek2(p)->kind == TK_LBRACE &&
				 (p->t[p->pos + 2].kind == TK_IDENT || p->t[p->pos + 2].kind == TK_KEYWORD) &&
				 (n->kind != SN_GRAPH || n->b == NULL))
		{
			/*
			 * a.{f, g}: the fields f and g of a; a.{f, h: g.x}: h is the
			 * path g.x of a (b: an SN_ARRAY of those paths, SN_NONE for a
			 * plain field, when there is one)
			 */
			SurqlNode  *d = node(p, SN_DESTRUCTURE);
			PtrList		keys = {0};
			PtrList		paths = {0};
			bool		aliased = false;

			d->a = n;
			d->offset = n->offset;
			next(p);
			next(p);
			do
			{
				list_add(p, &keys, expect_name(p, "a field name"));
				if (accept(p, TK_COLON))
				{
					SurqlNode  *f = node(p, SN_FIELD);

					f->keys = alloc(p, sizeof(char *));
					f->keys[0] = expect_name(p, "a field name after :");
					f->nitems = 1;
					list_add(p, &paths, parse_path_tail(p, f));
					aliased = true;
				}
				else
					list_add(p, &paths, node(p, SN_NONE));
			} while (accept(p, TK_COMMA));
			expect(p, TK_RBRACE, "} or ,");
			d->keys = (char **) keys.items;
			d->nitems = keys.n;
			if (aliased)
			{
				d->b = node(p, SN_ARRAY);
				finish_list(p, &paths, d->b);
			}
			n = d;
		}
		else if (peek(p)->kind == TK_DOT && peek2(p)->kind == TK_LBRACE &&
				 (n->kind == SN_RECORD || (n->kind == SN_PARAM && n->nitems == 0) ||
				  n->kind == SN_FIELD))
			n = parse_recurse(p, n);
		else if (peek(p)->kind == TK_DOT && peek2(p)->kind == TK_STAR && n->kind == SN_RECORD &&
				 !n->flag)
		{
			/* t:k.*: the whole record, a path of no graph steps */
			SurqlNode  *g = node(p, SN_GRAPH);

			g->a = n;
			g->offset = n->offset;
			n = g;
		}
		else if (peek(p)->kind == TK_DOT && peek2(p)->kind == TK_STAR && n->kind == SN_GRAPH &&
				 (n->b == NULL || strcmp(n->b->keys[n->b->nitems - 1], "*") != 0))
		{
			/* path.*, path.f.*: the whole records (a last key *) */
			SurqlNode  *f = n->b ? n->b : node(p, SN_FIELD);
			char	  **keys = alloc(p, sizeof(char *) * (f->nitems + 1));
			int			k;

			next(p);
			next(p);
			for (k = 0; k < f->nitems; k++)
				keys[k] = f->keys[k];
			keys[f->nitems] = dupstr(p, "*", 1);
			f->keys = keys;
			f->nitems++;
			n->b = f;
		}
		else if (peek(p)->kind == TK_DOT && n->kind == SN_GRAPH && n->b == NULL)
		{
			SurqlNode  *f = node(p, SN_FIELD);

			n->b = parse_path_tail(p, f);
			if (f->nitems == 0)
				fail(p, "a field name after .");
		}
		else if ((peek(p)->kind == TK_ARROW_OUT || peek(p)->kind == TK_ARROW_IN ||
				  peek(p)->kind == TK_ARROW_BOTH) && n->kind != SN_GRAPH)
			n = parse_graph_steps(p, n);
		else if (peek(p)->kind == TK_LBRACKET && n->kind != SN_GRAPH &&
				 !(peek2(p)->kind == TK_KEYWORD && peek2(p)->keyword == KW_WHERE))
		{
			/* a[i]: an element of an array, a field of an object */
			SurqlNode  *b;

			next(p);
			enter(p);
			b = parse_expr(p);
			p->depth--;
			expect(p, TK_RBRACKET, "]");
			n = binary(p, SURQL_OP_INDEX, n, b);
		}
		else
			return n;
	}
}

static SurqlNode *
binary(Parser *p, int op, SurqlNode *a, SurqlNode *b)
{
	SurqlNode  *n = node(p, SN_BINARY);

	n->op = op;
	n->a = a;
	n->b = b;
	n->offset = a->offset;
	return n;
}

static char *parse_type(Parser *p);
static char *parse_type_union(Parser *p);
static SurqlNode *parse_range(Parser *p);

static SurqlNode *
parse_unary(Parser *p)
{
	SurqlNode  *n;

	if (peek(p)->kind == TK_MINUS)
	{
		n = node(p, SN_UNARY);
		n->op = next(p)->kind;
		enter(p);
		n->a = parse_unary(p);
		p->depth--;
		return n;
	}
	if (peek(p)->kind == TK_BANG)
	{
		/* !x is NOT x, binding as tightly as unary minus */
		n = node(p, SN_UNARY);
		next(p);
		n->op = -(int) KW_NOT;
		enter(p);
		n->a = parse_unary(p);
		p->depth--;
		return n;
	}
	if (peek(p)->kind == TK_LT && (peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD))
	{
		/* <type> x: a cast */
		n = node(p, SN_CAST);
		next(p);
		enter(p);
		n->str = parse_type_union(p);
		expect(p, TK_GT, ">");
		n->a = parse_range(p);	/* <array> 0..3 casts the range */
		p->depth--;
		return n;
	}
	return parse_postfix(p);
}

/*
 * a..b, a..=b, a>..b, a.. (open: before ), ], { or }, a comma, ; or the end):
 * a range of values, binding tighter than every binary operator
 */
static SurqlNode *
parse_range(Parser *p)
{
	SurqlNode  *n = parse_unary(p);
	SurqlNode  *r;
	SurqlTokenKind k;
	bool		after = false;

	if (peek(p)->kind == TK_GT && peek2(p)->kind == TK_DOTDOT)
	{
		next(p);
		after = true;
	}
	else if (peek(p)->kind != TK_DOTDOT)
		return n;
	r = node(p, SN_RANGE);
	r->offset = n->offset;
	r->a = n;
	r->flag = after;
	next(p);
	r->ival = accept(p, TK_EQ);
	k = peek(p)->kind;
	if (!r->ival && (k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE || k == TK_LBRACE ||
					 k == TK_COMMA || k == TK_SEMICOLON || k == TK_EOF))
		return r;
	enter(p);
	r->b = parse_unary(p);
	p->depth--;
	return r;
}

/* a ** b, right-associative, tighter than * */
static SurqlNode *
parse_pow(Parser *p)
{
	SurqlNode  *n = parse_range(p);

	if (peek(p)->kind == TK_POW)
	{
		SurqlNode  *b;

		next(p);
		enter(p);
		b = parse_pow(p);
		p->depth--;
		n = binary(p, TK_POW, n, b);
	}
	return n;
}


/* whether the token here (* or ?) is directly followed by =: *=, ?= */
static bool
glued_eq(Parser *p)
{
	return peek2(p)->kind == TK_EQ && peek2(p)->offset == peek(p)->offset + 1;
}

static SurqlNode *
parse_mul(Parser *p)
{
	SurqlNode  *n = parse_pow(p);

	while ((peek(p)->kind == TK_STAR && !glued_eq(p)) || peek(p)->kind == TK_SLASH ||
		   peek(p)->kind == TK_PERCENT)
	{
		int			op = next(p)->kind;

		n = binary(p, op, n, parse_pow(p));
	}
	return n;
}

static SurqlNode *
parse_add(Parser *p)
{
	SurqlNode  *n = parse_mul(p);

	while (peek(p)->kind == TK_PLUS || peek(p)->kind == TK_MINUS)
	{
		int			op = next(p)->kind;

		n = binary(p, op, n, parse_mul(p));
	}
	return n;
}

static SurqlNode *
parse_cmp(Parser *p)
{
	SurqlNode  *n = parse_add(p);
	SurqlToken *t = peek(p);

	switch (t->kind)
	{
		case TK_EQ:
		case TK_EQEQ:
		case TK_NE:
		case TK_LT:
		case TK_LE:
		case TK_GT:
		case TK_GE:
			next(p);
			return binary(p, t->kind, n, parse_add(p));
		case TK_STAR:
		case TK_QUESTION:
			if (!glued_eq(p))
				break;
			/* a *= b, a ?= b */
			next(p);
			next(p);
			return binary(p, t->kind == TK_STAR ? SURQL_OP_ALLEQUAL : SURQL_OP_ANYEQUAL,
						  n, parse_add(p));
		case TK_MATCH:
			{
				SurqlNode  *m = node(p, SN_MATCH);

				next(p);
				m->ival = t->ival;
				m->flag = t->flag;
				m->a = n;
				m->b = parse_add(p);
				m->offset = n->offset;
				return m;
			}
		case TK_KNN_OPEN:
			{
				SurqlNode  *k = node(p, SN_KNN);

				next(p);
				if (peek(p)->kind != TK_INTEGER)
					fail(p, "the number of neighbours");
				k->ival = next(p)->ival;
				if (accept(p, TK_COMMA))
				{
					if (peek(p)->kind == TK_INTEGER)
						k->ival2 = next(p)->ival;
					else if (is_kw(p, KW_EUCLIDEAN) || is_kw(p, KW_COSINE) ||
							 is_kw(p, KW_MANHATTAN))
						k->op = next(p)->keyword;
					else
						fail(p, "ef or EUCLIDEAN, COSINE or MANHATTAN");
				}
				expect(p, TK_KNN_CLOSE, "|>");
				k->a = n;
				k->b = parse_add(p);
				k->offset = n->offset;
				return k;
			}
		case TK_KEYWORD:
			switch (t->keyword)
			{
				case KW_CONTAINS:
				case KW_CONTAINSNOT:
				case KW_CONTAINSALL:
				case KW_CONTAINSANY:
				case KW_INSIDE:
				case KW_IN:
					next(p);
					return binary(p, -(int) t->keyword, n, parse_add(p));
				case KW_NOT:
					if (peek2(p)->kind == TK_KEYWORD && peek2(p)->keyword == KW_IN)
					{
						next(p);
						next(p);
						return binary(p, SURQL_OP_NOT_IN, n, parse_add(p));
					}
					break;
				case KW_IS:
					{
						SurqlNode  *is = node(p, SN_IS_NONE);

						next(p);
						is->ival = accept_kw(p, KW_NOT);
						if (accept_kw(p, KW_NULL))
							is->flag = true;	/* IS NULL: JSON null, not NONE */
						else if (!accept_kw(p, KW_NONE))
						{
							/* a IS b is a = b, a IS NOT b is a != b */
							return binary(p, is->ival ? TK_NE : TK_EQ, n, parse_add(p));
						}
						is->a = n;
						is->offset = n->offset;
						return is;
					}
				default:
					break;
			}
			break;
		case TK_IDENT:
			{
				static const char *const words[] = {"ALLINSIDE", "ANYINSIDE", "NONEINSIDE",
				"CONTAINSNONE", "NOTINSIDE"};
				static const int ops[] = {SURQL_OP_ALLINSIDE, SURQL_OP_ANYINSIDE,
				SURQL_OP_NONEINSIDE, SURQL_OP_CONTAINSNONE, SURQL_OP_NOT_IN};
				int			i;

				for (i = 0; i < lengthof(words); i++)
					if (pg_strcasecmp(t->text, words[i]) == 0)
					{
						next(p);
						return binary(p, ops[i], n, parse_add(p));
					}
			}
			break;
		default:
			break;
	}
	return n;
}

static SurqlNode *
parse_not(Parser *p)
{
	if (is_kw(p, KW_NOT))
	{
		SurqlNode  *n = node(p, SN_UNARY);

		next(p);
		n->op = -(int) KW_NOT;
		enter(p);
		n->a = parse_not(p);
		p->depth--;
		return n;
	}
	return parse_cmp(p);
}

static SurqlNode *
parse_and(Parser *p)
{
	SurqlNode  *n = parse_not(p);

	while (accept_kw(p, KW_AND) || accept(p, TK_ANDAND))
		n = binary(p, -(int) KW_AND, n, parse_not(p));
	return n;
}

static SurqlNode *
parse_or(Parser *p)
{
	SurqlNode  *n = parse_and(p);

	while (accept_kw(p, KW_OR) || accept(p, TK_OROR))
		n = binary(p, -(int) KW_OR, n, parse_and(p));
	return n;
}

/* a ?? b (b when a is NONE or NULL) and a ?: b (b when a is not true), loosest */
static SurqlNode *
parse_expr(Parser *p)
{
	SurqlNode  *n;

	enter(p);
	n = parse_or(p);
	while (peek(p)->kind == TK_QQ || peek(p)->kind == TK_QCOLON)
	{
		int			op = next(p)->kind;

		n = binary(p, op, n, parse_or(p));
	}
	p->depth--;
	return n;
}

/* ---- statements ------------------------------------------------------------- */

static void
parse_list(Parser *p, SurqlNode ***out, int *n)
{
	PtrList		l = {0};

	do
		list_add(p, &l, parse_expr(p));
	while (accept(p, TK_COMMA));
	*out = (SurqlNode **) l.items;
	*n = l.n;
}

/* f = v, f += v, f -= v, ...: the assignments of SET (and ON DUPLICATE KEY UPDATE) */
static void
parse_set_list(Parser *p, SurqlStmt *s)
{
	PtrList		fields = {0};
	PtrList		values = {0};

	s->data = SD_SET;
	do
	{
		SurqlNode  *f = node(p, SN_FIELD);

		f->keys = alloc(p, sizeof(char *));
		f->keys[0] = expect_name(p, "a field name");
		f->nitems = 1;
		parse_path_tail(p, f);
		while (peek(p)->kind == TK_LBRACKET && peek2(p)->kind == TK_STRING &&
			   p->t[p->pos + 2].kind == TK_RBRACKET)
		{
			/* a['k']: the field a.k */
			char	  **keys = alloc(p, sizeof(char *) * (f->nitems + 1));

			memcpy(keys, f->keys, sizeof(char *) * f->nitems);
			next(p);
			keys[f->nitems++] = dupstr(p, peek(p)->text, peek(p)->len);
			next(p);
			next(p);
			f->keys = keys;
			parse_path_tail(p, f);
		}
		if ((peek(p)->kind == TK_PLUS || peek(p)->kind == TK_MINUS) &&
			peek2(p)->kind == TK_EQ)
			f->op = next(p)->kind;	/* += and -= */
		expect(p, TK_EQ, f->op ? "=" : "=, += or -=");
		list_add(p, &fields, f);
		list_add(p, &values, parse_expr(p));
	} while (accept(p, TK_COMMA));
	s->set_fields = (SurqlNode **) fields.items;
	s->set_values = (SurqlNode **) values.items;
	s->nset = fields.n;
}

/*
 * INSERT INTO t (f, g) VALUES (a, b), (c, d): the array of objects
 * [{f: a, g: b}, {f: c, g: d}]
 */
static SurqlNode *
parse_insert_values(Parser *p)
{
	PtrList		names = {0};
	PtrList		rows = {0};
	SurqlNode  *arr = node(p, SN_ARRAY);

	expect(p, TK_LPAREN, "(");
	do
		list_add(p, &names, expect_name(p, "a field name"));
	while (accept(p, TK_COMMA));
	expect(p, TK_RPAREN, ") or ,");
	if (!accept_word(p, "VALUES"))
		fail(p, "VALUES");
	do
	{
		SurqlNode  *o = node(p, SN_OBJECT);
		PtrList		values = {0};

		expect(p, TK_LPAREN, "(");
		do
			list_add(p, &values, parse_expr(p));
		while (accept(p, TK_COMMA));
		expect(p, TK_RPAREN, ") or ,");
		if (values.n != names.n)
			fail_message(p, psprintf("VALUES has %d values where %d fields were named",
									 values.n, names.n));
		o->keys = (char **) names.items;
		finish_list(p, &values, o);
		list_add(p, &rows, o);
	} while (accept(p, TK_COMMA));
	finish_list(p, &rows, arr);
	return arr;
}

static void
parse_data(Parser *p, SurqlStmt *s, bool merge_ok)
{
	if (accept_kw(p, KW_SET))
		parse_set_list(p, s);
	else if (accept_word(p, "UNSET"))
	{
		/* UNSET f, ...: SET f = NONE, ... */
		PtrList		fields = {0};
		PtrList		values = {0};

		s->data = SD_SET;
		do
		{
			SurqlNode  *f = node(p, SN_FIELD);

			f->keys = alloc(p, sizeof(char *));
			f->keys[0] = expect_name(p, "a field name");
			f->nitems = 1;
			parse_path_tail(p, f);
			list_add(p, &fields, f);
			list_add(p, &values, node(p, SN_NONE));
		} while (accept(p, TK_COMMA));
		s->set_fields = (SurqlNode **) fields.items;
		s->set_values = (SurqlNode **) values.items;
		s->nset = fields.n;
	}
	else if (accept_kw(p, KW_CONTENT) || (merge_ok && accept_word(p, "REPLACE")))
	{
		/* REPLACE is CONTENT */
		s->data = SD_CONTENT;
		s->content = parse_expr(p);
	}
	else if (merge_ok && accept_kw(p, KW_MERGE))
	{
		s->data = SD_MERGE;
		s->content = parse_expr(p);
	}
}

static void
parse_return(Parser *p, SurqlStmt *s)
{
	if (!accept_kw(p, KW_RETURN))
		return;
	if (accept_kw(p, KW_NONE))
		s->ret = SR_NONE;
	else if (accept_kw(p, KW_BEFORE))
		s->ret = SR_BEFORE;
	else if (accept_kw(p, KW_AFTER))
		s->ret = SR_AFTER;
	else if (accept_kw(p, KW_DIFF))
		s->ret = SR_DIFF;
	else if (accept_kw(p, KW_VALUE))
	{
		s->ret = SR_VALUE;
		s->ret_fields = alloc(p, sizeof(SurqlNode *));
		s->ret_fields[0] = parse_expr(p);
		s->nret = 1;
	}
	else
	{
		/* RETURN f [AS a], ...: a projection of each record (RETURN NULL: VALUE NULL) */
		PtrList		fields = {0};
		PtrList		aliases = {0};

		do
		{
			list_add(p, &fields, parse_expr(p));
			list_add(p, &aliases, accept_kw(p, KW_AS) ? expect_name(p, "a name after AS") : NULL);
		} while (accept(p, TK_COMMA));
		s->ret_fields = (SurqlNode **) fields.items;
		s->ret_aliases = (char **) aliases.items;
		s->nret = fields.n;
		s->ret = SR_FIELDS;
		if (fields.n == 1 && s->ret_fields[0]->kind == SN_NULL && aliases.items[0] == NULL)
			s->ret = SR_VALUE;
	}
}

static void
parse_select(Parser *p, SurqlStmt *s)
{
	PtrList		fields = {0};
	PtrList		aliases = {0};

	if (s->kind == SS_LIVE && s->diff && is_kw(p, KW_FROM))
	{
		/* LIVE SELECT DIFF FROM t: the whole record */
		list_add(p, &fields, node(p, SN_ALL));
		list_add(p, &aliases, NULL);
		goto from;
	}
	s->value = accept_kw(p, KW_VALUE);
	do
	{
		SurqlNode  *f;

		if (peek(p)->kind == TK_STAR && !s->value)
		{
			f = node(p, SN_ALL);
			next(p);
		}
		else
			f = parse_expr(p);
		list_add(p, &fields, f);
		list_add(p, &aliases, accept_kw(p, KW_AS) ? expect_name(p, "a name after AS") : NULL);
	} while (accept(p, TK_COMMA));
from:
	s->fields = (SurqlNode **) fields.items;
	s->aliases = (char **) aliases.items;
	s->nfields = fields.n;
	if (accept_word(p, "OMIT"))
	{
		PtrList		omit = {0};

		do
		{
			SurqlNode  *f = node(p, SN_FIELD);

			f->keys = alloc(p, sizeof(char *));
			f->keys[0] = expect_name(p, "a field name");
			f->nitems = 1;
			parse_path_tail(p, f);
			list_add(p, &omit, f);
		} while (accept(p, TK_COMMA));
		s->omit = (SurqlNode **) omit.items;
		s->nomit = omit.n;
	}
	expect_kw(p, KW_FROM);
	s->only = accept_word(p, "ONLY");
	parse_list(p, &s->from, &s->nfrom);
	if (peek(p)->kind == TK_IDENT && pg_strcasecmp(peek(p)->text, "WITH") == 0)
	{
		/* WITH NOINDEX | WITH NO INDEX | WITH INDEX i, ...: planner hints, not kept */
		next(p);
		if (accept_word(p, "NO"))
			expect_kw(p, KW_INDEX);
		else if (!accept_word(p, "NOINDEX"))
		{
			expect_kw(p, KW_INDEX);
			do
				expect_name(p, "an index name");
			while (accept(p, TK_COMMA));
		}
	}
	if (accept_kw(p, KW_WHERE))
		s->where = parse_expr(p);
	if (accept_word(p, "SPLIT"))
	{
		/* SPLIT [ON] f, ...: one row per element of each array field */
		accept_kw(p, KW_ON);
		parse_list(p, &s->split, &s->nsplit);
	}
	if (accept_kw(p, KW_GROUP))
	{
		if (accept_kw(p, KW_ALL))
			s->group_all = true;
		else
		{
			accept_kw(p, KW_BY);	/* GROUP f is GROUP BY f */
			parse_list(p, &s->group, &s->ngroup);
		}
	}
	if (accept_kw(p, KW_ORDER))
	{
		PtrList		order = {0};
		bool	   *desc;
		int		   *mode;
		int			i = 0;

		expect_kw(p, KW_BY);
		desc = alloc(p, sizeof(bool) * 64);
		mode = alloc(p, sizeof(int) * 64);
		do
		{
			if (order.n == 64)
				fail(p, "at most 64 ORDER BY items");
			list_add(p, &order, parse_expr(p));
			/* COLLATE (by language) and NUMERIC (numbers in strings by value) */
			mode[i] = 0;
			for (;;)
			{
				if (accept_word(p, "COLLATE"))
					mode[i] |= SURQL_ORDER_COLLATE;
				else if (accept_word(p, "NUMERIC"))
					mode[i] |= SURQL_ORDER_NUMERIC;
				else
					break;
			}
			desc[i] = accept_kw(p, KW_DESC);
			if (!desc[i])
				accept_kw(p, KW_ASC);
			i++;
		} while (accept(p, TK_COMMA));
		s->order = (SurqlNode **) order.items;
		s->desc = desc;
		s->order_mode = mode;
		s->norder = order.n;
	}
	for (;;)
	{
		/* LIMIT and START, in either order */
		if (s->limit == NULL && accept_kw(p, KW_LIMIT))
		{
			accept_kw(p, KW_BY);
			s->limit = parse_expr(p);
		}
		else if (s->start == NULL && accept_kw(p, KW_START))
		{
			accept_word(p, "AT");
			s->start = parse_expr(p);
		}
		else
			break;
	}
	if (accept_kw(p, KW_FETCH))
		parse_list(p, &s->fetch, &s->nfetch);
	for (;;)
	{
		if (accept_word(p, "TEMPFILES") || accept_word(p, "PARALLEL"))
			continue;			/* hints to SurrealDB's executor, not kept */
		if (s->version == NULL && accept_word(p, "VERSION"))
			s->version = parse_expr(p);
		else if (s->explain_mode == 0 && accept_word(p, "EXPLAIN"))
			s->explain_mode = accept_word(p, "FULL") ? 2 : 1;
		else
			break;
	}
}

/* a field type: name or name<type or integer> (plain words only) */
static char *parse_type_union(Parser *p);

static char *
parse_type(Parser *p)
{
	SurqlToken *t = peek(p);
	char	   *name;

	if (!is_name(p) || !dllb_surql_is_plain_word(t->text))
		fail(p, "a type name");
	name = expect_name(p, "a type name");
	if (accept(p, TK_LT))
	{
		char	   *arg;

		if (peek(p)->kind == TK_INTEGER)
		{
			arg = dupstr(p, peek(p)->text, peek(p)->len);
			next(p);
		}
		else
		{
			enter(p);
			arg = parse_type_union(p);
			p->depth--;
		}
		expect(p, TK_GT, ">");
		{
			char	   *full = alloc(p, strlen(name) + strlen(arg) + 3);

			sprintf(full, "%s<%s>", name, arg);
			name = full;
		}
	}
	return name;
}

/*
 * a duration: one or more <digits><unit>, units y w d h m s ms us ns (as
 * SurrealQL writes them: 30m, 1h30m, 7d); lowercased
 */
static char *
parse_duration(Parser *p)
{
	static const char *const units[] = {"ms", "us", "ns", "y", "w", "d", "h", "m", "s"};
	SurqlToken *t = peek(p);
	const char *c;
	char	   *d;
	int			i;

	if (t->kind != TK_IDENT)
		fail(p, "a duration such as 30m, 1h or 7d");
	c = t->text;
	while (*c)
	{
		bool		unit = false;

		if (!isdigit((unsigned char) *c))
			fail(p, "a duration such as 30m, 1h or 7d");
		while (isdigit((unsigned char) *c))
			c++;
		for (i = 0; i < lengthof(units) && !unit; i++)
			if (pg_strncasecmp(c, units[i], strlen(units[i])) == 0)
			{
				c += strlen(units[i]);
				unit = true;
			}
		if (!unit)
			fail(p, "a duration such as 30m, 1h or 7d");
	}
	d = dupstr(p, t->text, t->len);
	for (i = 0; d[i]; i++)
		d[i] = pg_ascii_tolower((unsigned char) d[i]);
	next(p);
	return d;
}

/* a field type, or a union of them: string | int (printed as written) */
static char *
parse_type_union(Parser *p)
{
	char	   *ty = parse_type(p);

	while (accept(p, TK_PIPE))
	{
		char	   *more = parse_type(p);
		char	   *both = alloc(p, strlen(ty) + strlen(more) + 4);

		sprintf(both, "%s | %s", ty, more);
		ty = both;
	}
	return ty;
}

/* ON [TABLE] name */
static void
parse_on_table(Parser *p, SurqlStmt *s)
{
	expect_kw(p, KW_ON);
	accept_kw(p, KW_TABLE);
	s->name = expect_name(p, "a table name");
}


/* a plain word of letters, digits and _, lowercased: an analyzer's part */
static char *
expect_plain_word(Parser *p, const char *what)
{
	SurqlToken *t = peek(p);
	char	   *w;
	int			i;

	if (t->kind != TK_IDENT && t->kind != TK_KEYWORD)
		fail(p, what);
	for (i = 0; i < t->len; i++)
		if (!isalnum((unsigned char) t->text[i]) && t->text[i] != '_')
			fail(p, what);
	if (t->len == 0)
		fail(p, what);
	w = dupstr(p, t->text, t->len);
	for (i = 0; w[i]; i++)
		w[i] = pg_ascii_tolower((unsigned char) w[i]);
	next(p);
	return w;
}

/*
 * TOKENIZERS t, ... or FILTERS f[(arg, ...)], ...: each part as one
 * lowercased string, a filter with arguments as name(arg,arg)
 */
static void
parse_analyzer_list(Parser *p, bool args, char ***items, int *n)
{
	PtrList		l = {0};

	do
	{
		char	   *w = expect_plain_word(p, args ? "a filter" : "a tokenizer");

		if (args && accept(p, TK_LPAREN))
		{
			PtrList		a = {0};
			size_t		len = strlen(w) + 2;
			char	   *full;
			int			i;

			do
			{
				char	   *arg;

				if (peek(p)->kind == TK_INTEGER)
				{
					arg = alloc(p, 24);
					snprintf(arg, 24, INT64_FORMAT, next(p)->ival);
				}
				else
					arg = expect_plain_word(p, "a word or a number");
				list_add(p, &a, arg);
				len += strlen(arg) + 1;
			} while (accept(p, TK_COMMA));
			expect(p, TK_RPAREN, ")");
			full = alloc(p, len + 1);
			strcpy(full, w);
			strcat(full, "(");
			for (i = 0; i < a.n; i++)
			{
				if (i > 0)
					strcat(full, ",");
				strcat(full, (char *) a.items[i]);
			}
			strcat(full, ")");
			w = full;
		}
		list_add(p, &l, w);
	} while (accept(p, TK_COMMA));
	*items = (char **) l.items;
	*n = l.n;
}

/* IF NOT EXISTS or OVERWRITE after DEFINE x */
static void
parse_define_mode(Parser *p, SurqlStmt *s)
{
	if (is_kw(p, KW_IF))
	{
		next(p);
		expect_kw(p, KW_NOT);
		if (!accept_word(p, "EXISTS"))
			fail(p, "EXISTS");
		s->if_not_exists = true;
	}
	else if (accept_word(p, "OVERWRITE"))
		s->overwrite = true;
}

/* IF EXISTS after REMOVE x */
static void
parse_remove_mode(Parser *p, SurqlStmt *s)
{
	if (is_kw(p, KW_IF))
	{
		next(p);
		if (!accept_word(p, "EXISTS"))
			fail(p, "EXISTS");
		s->if_not_exists = true;
	}
}

/*
 * PERMISSIONS NONE | FULL | FOR action, ... (FULL | NONE | WHERE e) ...:
 * noted (anything but FULL sets has_permissions), not kept
 */
static void
parse_permissions(Parser *p, SurqlStmt *s)
{
	static const char *const actions[] = {"select", "create", "update", "delete"};
	int			i;

	if (is_kw(p, KW_NONE) || (peek(p)->kind == TK_IDENT && pg_strcasecmp(peek(p)->text, "FULL") == 0))
	{
		bool		none = is_kw(p, KW_NONE);

		next(p);
		for (i = 0; i < 4; i++)
			s->perm_kind[i] = none ? SURQL_PERM_NONE : SURQL_PERM_FULL;
		s->has_permissions |= none;
		return;
	}
	if (!is_kw(p, KW_FOR))
		fail(p, "NONE, FULL or FOR");
	while (accept_kw(p, KW_FOR))
	{
		bool		which[4] = {false, false, false, false};
		int			kind;
		SurqlNode  *cond = NULL;

		do
		{
			char	   *a = expect_name(p, "select, create, update or delete");

			for (i = 0; i < 4; i++)
				if (pg_strcasecmp(a, actions[i]) == 0)
					which[i] = true;
		} while (accept(p, TK_COMMA));
		if (accept_kw(p, KW_WHERE))
		{
			cond = parse_expr(p);
			kind = SURQL_PERM_WHERE;
			s->has_permissions = true;
		}
		else if (accept_kw(p, KW_NONE))
		{
			kind = SURQL_PERM_NONE;
			s->has_permissions = true;
		}
		else if (accept_word(p, "FULL"))
			kind = SURQL_PERM_FULL;
		else
			fail(p, "FULL, NONE or WHERE");
		for (i = 0; i < 4; i++)
			if (which[i])
			{
				s->perm_kind[i] = kind;
				s->perm_where[i] = cond;
			}
		/* FOR select NONE, FOR create FULL: a comma between the clauses */
		if (peek(p)->kind == TK_COMMA && peek2(p)->kind == TK_KEYWORD && peek2(p)->keyword == KW_FOR)
			next(p);
	}
}

/* COMMENT 'text' */
static bool
parse_comment(Parser *p, SurqlStmt *s)
{
	if (!accept_word(p, "COMMENT"))
		return false;
	if (peek(p)->kind != TK_STRING)
		fail(p, "a string");
	s->comment = dupstr(p, peek(p)->text, peek(p)->len);
	next(p);
	return true;
}

/* a | b | c: table names */
static void
parse_table_names(Parser *p, char ***out, int *n)
{
	PtrList		l = {0};

	do
		list_add(p, &l, expect_name(p, "a table name"));
	while (accept(p, TK_PIPE) || accept(p, TK_COMMA));
	*out = (char **) l.items;
	*n = l.n;
}

/*
 * one part of a field name of DEFINE FIELD: a name neither empty nor
 * holding . or [ (the name is kept as the text a.b[*], so `x.y` would read
 * back as the path x.y)
 */
static char *
field_name_part(Parser *p)
{
	char	   *part;

	if (peek(p)->kind == TK_IDENT && (peek(p)->text[0] == '\0' ||
									  strpbrk(peek(p)->text, ".[") != NULL))
		fail_message(p, pstrdup("a field name that is not empty and holds no . or ["));
	part = expect_name(p, "a field name");
	return part;
}

/* a field name of DEFINE FIELD: a, a.b, a[*], a.*; as text a.b, a[*], a.* */
static char *
parse_field_name(Parser *p)
{
	char	   *name = field_name_part(p);

	for (;;)
	{
		const char *part;

		if (peek(p)->kind == TK_DOT && peek2(p)->kind == TK_STAR)
		{
			next(p);
			next(p);
			part = ".*";
		}
		else if (peek(p)->kind == TK_DOT && (peek2(p)->kind == TK_IDENT ||
											 peek2(p)->kind == TK_KEYWORD))
		{
			char	   *f;
			char	   *dotted;

			next(p);
			f = field_name_part(p);
			dotted = alloc(p, strlen(f) + 2);
			dotted[0] = '.';
			strcpy(dotted + 1, f);
			part = dotted;
		}
		else if (peek(p)->kind == TK_LBRACKET && peek2(p)->kind == TK_STAR)
		{
			next(p);
			next(p);
			expect(p, TK_RBRACKET, "]");
			part = "[*]";
		}
		else
			break;
		{
			char	   *longer = alloc(p, strlen(name) + strlen(part) + 1);

			strcpy(longer, name);
			strcat(longer, part);
			name = longer;
		}
	}
	return name;
}

/* fn::a::b after DEFINE or REMOVE FUNCTION: a::b (its case kept) */
static char *
parse_fn_name(Parser *p)
{
	char	   *name = NULL;

	if (!is_name(p) || pg_strcasecmp(peek(p)->text, "fn") != 0 ||
		peek2(p)->kind != TK_DOUBLECOLON)
		fail(p, "fn::name");
	next(p);
	while (accept(p, TK_DOUBLECOLON))
	{
		SurqlToken *part = peek(p);
		char	   *longer;

		if (!is_name(p) || !dllb_surql_is_plain_word(part->text))
			fail(p, "a function name after ::");
		next(p);
		if (name == NULL)
			name = dupstr(p, part->text, part->len);
		else
		{
			longer = alloc(p, strlen(name) + 2 + part->len + 1);
			sprintf(longer, "%s::%s", name, part->text);
			name = longer;
		}
	}
	return name;
}

/* $name after DEFINE or REMOVE PARAM: the name without $ */
static char *
parse_param_name(Parser *p)
{
	SurqlToken *t = peek(p);

	if (t->kind != TK_PARAM)
		fail(p, "a $parameter");
	next(p);
	return dupstr(p, t->text, t->len);
}

/*
 * PERMISSIONS FULL | NONE | WHERE e of DEFINE FUNCTION and DEFINE PARAM:
 * perm_kind[0] and perm_where[0] (kept to show them; not enforced)
 */
static void
parse_one_permission(Parser *p, SurqlStmt *s)
{
	if (accept_kw(p, KW_NONE))
		s->perm_kind[0] = SURQL_PERM_NONE;
	else if (accept_word(p, "FULL"))
		s->perm_kind[0] = SURQL_PERM_FULL;
	else if (accept_kw(p, KW_WHERE))
	{
		s->perm_kind[0] = SURQL_PERM_WHERE;
		s->perm_where[0] = parse_expr(p);
	}
	else
		fail(p, "NONE, FULL or WHERE");
	s->has_permissions = s->perm_kind[0] != SURQL_PERM_FULL;
}

/* COMMENT and PERMISSIONS of DEFINE FUNCTION and DEFINE PARAM, in any order */
static void
parse_fn_tail(Parser *p, SurqlStmt *s)
{
	for (;;)
	{
		if (parse_comment(p, s))
			;
		else if (s->perm_kind[0] == SURQL_PERM_DEFAULT && accept_word(p, "PERMISSIONS"))
			parse_one_permission(p, s);
		else
			break;
	}
}

/*
 * after DEFINE FUNCTION: [IF NOT EXISTS | OVERWRITE] fn::name($a: type,
 * ...) [-> type] { statements } [COMMENT s] [PERMISSIONS ...]
 */
static void
parse_define_function(Parser *p, SurqlStmt *s)
{
	PtrList		names = {0};
	PtrList		types = {0};

	s->kind = SS_DEFINE_FUNCTION;
	parse_define_mode(p, s);
	s->name = parse_fn_name(p);
	expect(p, TK_LPAREN, "(");
	while (peek(p)->kind != TK_RPAREN)
	{
		char	   *arg = parse_param_name(p);
		int			i;

		for (i = 0; i < names.n; i++)
			if (strcmp((char *) names.items[i], arg) == 0)
				fail_message(p, psprintf("argument $%s is given twice", arg));
		list_add(p, &names, arg);
		if (accept(p, TK_COLON))
		{
			enter(p);
			list_add(p, &types, parse_type_union(p));
			p->depth--;
		}
		else
			list_add(p, &types, NULL);
		if (!accept(p, TK_COMMA))
			break;
	}
	expect(p, TK_RPAREN, ") or ,");
	s->arg_names = (char **) names.items;
	s->arg_types = (char **) types.items;
	s->nargs = names.n;
	if (accept(p, TK_ARROW_OUT))
		s->ftype = parse_type_union(p);
	expect(p, TK_LBRACE, "{");
	parse_block(p, &s->body, &s->nbody, true);
	parse_fn_tail(p, s);
}

static void
parse_define(Parser *p, SurqlStmt *s)
{
	if (accept_kw(p, KW_TABLE))
	{
		s->kind = SS_DEFINE_TABLE;
		parse_define_mode(p, s);
		s->name = expect_name(p, "a table name");
		for (;;)
		{
			if (s->schema == SCHEMA_DEFAULT &&
				(accept_kw(p, KW_SCHEMAFULL) || accept_word(p, "SCHEMAFUL")))
				s->schema = SCHEMA_FULL;
			else if (s->schema == SCHEMA_DEFAULT && accept_kw(p, KW_SCHEMALESS))
				s->schema = SCHEMA_LESS;
			else if (s->table_type == TABLE_TYPE_DEFAULT && accept_kw(p, KW_TYPE))
			{
				SurqlToken *t = peek(p);

				if (accept_kw(p, KW_RELATION))
				{
					s->table_type = TABLE_TYPE_RELATION;
					if (accept_kw(p, KW_IN) || accept_kw(p, KW_FROM))
						parse_table_names(p, &s->rel_in, &s->nrel_in);
					if (accept_word(p, "OUT") || accept_word(p, "TO"))
						parse_table_names(p, &s->rel_out, &s->nrel_out);
					s->enforced = accept_word(p, "ENFORCED");
				}
				else if (t->kind == TK_IDENT && pg_strcasecmp(t->text, "normal") == 0)
					s->table_type = TABLE_TYPE_NORMAL;
				else if (t->kind == TK_IDENT && pg_strcasecmp(t->text, "any") == 0)
					s->table_type = TABLE_TYPE_ANY;
				else
					fail(p, "RELATION, NORMAL or ANY");
				if (s->table_type != TABLE_TYPE_RELATION)
					next(p);
			}
			else if (s->changefeed == NULL && accept_word(p, "CHANGEFEED"))
			{
				s->changefeed = parse_duration(p);
				if (accept_word(p, "INCLUDE"))
				{
					if (!accept_word(p, "ORIGINAL"))
						fail(p, "ORIGINAL");
					s->include_original = true;
				}
			}
			else if (s->view == NULL && accept_kw(p, KW_AS))
			{
				/* AS SELECT ...: a view */
				if (!is_kw(p, KW_SELECT))
					fail(p, "SELECT");
				s->view = parse_stmt(p);
			}
			else if (accept_word(p, "PERMISSIONS"))
				parse_permissions(p, s);
			else if (parse_comment(p, s))
				;
			else
				break;
		}
	}
	else if (accept_kw(p, KW_FIELD))
	{
		s->kind = SS_DEFINE_FIELD;
		parse_define_mode(p, s);
		s->field = parse_field_name(p);
		parse_on_table(p, s);
		for (;;)
		{
			if (s->ftype == NULL && accept_kw(p, KW_TYPE))
				s->ftype = parse_type_union(p);
			else if (!s->flexible && accept_word(p, "FLEXIBLE"))
				s->flexible = true;
			else if (s->expr == NULL && accept_kw(p, KW_DEFAULT))
			{
				s->default_always = accept_kw(p, KW_ALL) || accept_word(p, "ALWAYS");
				s->expr = parse_expr(p);
			}
			else if (s->value_expr == NULL && accept_kw(p, KW_VALUE))
				s->value_expr = parse_expr(p);
			else if (s->value_expr == NULL && accept_word(p, "COMPUTED"))
			{
				s->computed = true;
				s->value_expr = parse_expr(p);
			}
			else if (!s->readonly && accept_word(p, "READONLY"))
				s->readonly = true;
			else if (s->where == NULL && accept_kw(p, KW_ASSERT))
				s->where = parse_expr(p);
			else if (accept_word(p, "REFERENCE"))
			{
				s->has_reference = true;
				if (accept_kw(p, KW_ON))
				{
					expect_kw(p, KW_DELETE);
					if (accept_word(p, "THEN"))
						(void) parse_expr(p);
					else
						expect_name(p, "REJECT, CASCADE, IGNORE, UNSET or THEN");
				}
			}
			else if (accept_word(p, "PERMISSIONS"))
				parse_permissions(p, s);
			else if (parse_comment(p, s))
				;
			else
				break;
		}
	}
	else if (accept_kw(p, KW_INDEX))
	{
		PtrList		fields = {0};

		s->kind = SS_DEFINE_INDEX;
		parse_define_mode(p, s);
		s->field = expect_name(p, "an index name");
		parse_on_table(p, s);
		if (!accept_kw(p, KW_FIELDS))
		{
			if (peek(p)->kind == TK_IDENT && pg_strcasecmp(peek(p)->text, "COLUMNS") == 0)
				next(p);
			else
				fail(p, "FIELDS");
		}
		do
		{
			SurqlNode  *f = node(p, SN_FIELD);

			f->keys = alloc(p, sizeof(char *));
			f->keys[0] = expect_name(p, "a field name");
			f->nitems = 1;
			parse_path_tail(p, f);
			list_add(p, &fields, f);
		} while (accept(p, TK_COMMA));
		s->fields = (SurqlNode **) fields.items;
		s->nfields = fields.n;
		if (accept_kw(p, KW_UNIQUE))
			s->index_kind = INDEX_UNIQUE;
		else if (accept_kw(p, KW_SEARCH) || accept_word(p, "FULLTEXT"))
		{
			/* SEARCH is FULLTEXT's older name */
			s->index_kind = INDEX_SEARCH;
			expect_kw(p, KW_ANALYZER);
			s->analyzer = expect_name(p, "an analyzer name");
			if (accept_kw(p, KW_BM25) && accept(p, TK_LPAREN))
			{
				/* BM25(k1, b): dllb_bm25 uses Lucene's 1.2 and 0.75 */
				while (peek(p)->kind == TK_FLOAT || peek(p)->kind == TK_INTEGER)
				{
					next(p);
					if (!accept(p, TK_COMMA))
						break;
				}
				expect(p, TK_RPAREN, ")");
			}
			accept_word(p, "HIGHLIGHTS");
		}
		else if (accept_kw(p, KW_HNSW))
		{
			s->index_kind = INDEX_HNSW;
			expect_kw(p, KW_DIMENSION);
			if (peek(p)->kind != TK_INTEGER || peek(p)->ival < 1 || peek(p)->ival > 16000)
				fail(p, "a dimension from 1 to 16000");
			s->dimension = next(p)->ival;
			for (;;)
			{
				if (accept_kw(p, KW_DIST))
				{
					if (is_kw(p, KW_EUCLIDEAN) || is_kw(p, KW_COSINE) || is_kw(p, KW_DOT) ||
						is_kw(p, KW_MANHATTAN))
						s->dist = next(p)->keyword;
					else
						fail(p, "EUCLIDEAN, COSINE, DOT or MANHATTAN");
				}
				else if (accept_kw(p, KW_TYPE))
					expect_name(p, "F32, F64, I16, I32 or I64");
				else if (accept_word(p, "EFC"))
				{
					if (peek(p)->kind != TK_INTEGER || peek(p)->ival < 1 || peek(p)->ival > 1000)
						fail(p, "an EFC from 1 to 1000");
					s->efc = next(p)->ival;
				}
				else if (accept_word(p, "M"))
				{
					if (peek(p)->kind != TK_INTEGER || peek(p)->ival < 2 || peek(p)->ival > 100)
						fail(p, "an M from 2 to 100");
					s->hnsw_m = next(p)->ival;
				}
				else if (accept_word(p, "HASHED_VECTOR"))
					;			/* SurrealDB's storage of the vectors: read, not kept */
				else
					break;
			}
		}
		for (;;)
		{
			if (accept_word(p, "CONCURRENTLY"))
				;
			else if (parse_comment(p, s))
				;
			else
				break;
		}
	}
	else if (accept_kw(p, KW_ANALYZER))
	{
		s->kind = SS_DEFINE_ANALYZER;
		parse_define_mode(p, s);
		s->name = expect_name(p, "an analyzer name");
		for (;;)
		{
			if (s->ntokenizers == 0 && accept_word(p, "TOKENIZERS"))
				parse_analyzer_list(p, false, &s->tokenizers, &s->ntokenizers);
			else if (s->nfilters == 0 && accept_word(p, "FILTERS"))
				parse_analyzer_list(p, true, &s->filters, &s->nfilters);
			else if (parse_comment(p, s))
				;
			else
				break;
		}
	}
	else if (accept_word(p, "EVENT"))
	{
		s->kind = SS_DEFINE_EVENT;
		s->field = expect_name(p, "an event name");
		parse_on_table(p, s);
		if (accept_word(p, "WHEN"))
			s->where = parse_expr(p);
		expect_kw(p, KW_THEN);
		if (accept(p, TK_LBRACE))
			parse_block(p, &s->body, &s->nbody, true);
		else
		{
			/* one statement, or an expression (a parenthesised statement) */
			SurqlStmt  *b;
			SurqlToken *t = peek(p);

			if ((t->kind == TK_KEYWORD && t->keyword != KW_TRUE && t->keyword != KW_FALSE &&
				 t->keyword != KW_NULL && t->keyword != KW_NONE) ||
				(t->kind == TK_IDENT && starts_word_stmt(p)))
				b = parse_stmt(p);
			else
			{
				SurqlNode  *e = parse_expr(p);

				if (e->kind == SN_SUBQUERY)
					b = e->stmt;
				else
				{
					b = alloc(p, sizeof(SurqlStmt));
					b->kind = SS_RETURN;
					b->offset = e->offset;
					b->expr = e;
				}
			}
			s->body = alloc(p, sizeof(SurqlStmt *));
			s->body[0] = b;
			s->nbody = 1;
		}
		if (s->nbody == 0)
			fail(p, "a statement");
	}
	else if (accept_word(p, "FUNCTION"))
		parse_define_function(p, s);
	else if (accept_word(p, "PARAM"))
	{
		s->kind = SS_DEFINE_PARAM;
		parse_define_mode(p, s);
		s->name = parse_param_name(p);
		expect_kw(p, KW_VALUE);
		s->expr = parse_expr(p);
		parse_fn_tail(p, s);
	}
	else
		fail(p, "TABLE, FIELD, INDEX, EVENT, ANALYZER, FUNCTION or PARAM");
}

/*
 * whether the statement is one that starts with a plain word (not a
 * keyword, so that fields may still be called live or show, and a bare
 * expression may start with such a field): LIVE SELECT, SHOW CHANGES,
 * KILL 'id' or KILL $id
 */
static bool
starts_word_stmt(Parser *p)
{
	SurqlToken *t = peek(p);
	SurqlToken *t2 = peek2(p);

	if (pg_strcasecmp(t->text, "LIVE") == 0)
		return t2->kind == TK_KEYWORD && t2->keyword == KW_SELECT;
	if (pg_strcasecmp(t->text, "SHOW") == 0)
		return t2->kind == TK_IDENT && pg_strcasecmp(t2->text, "CHANGES") == 0;
	if (pg_strcasecmp(t->text, "KILL") == 0)
		return t2->kind == TK_STRING || t2->kind == TK_PARAM;
	if (pg_strcasecmp(t->text, "SLEEP") == 0)
		return t2->kind == TK_IDENT && !t2->flag && t2->text[0] >= '0' && t2->text[0] <= '9';
	if (pg_strcasecmp(t->text, "BREAK") == 0 || pg_strcasecmp(t->text, "CONTINUE") == 0)
		return t2->kind == TK_SEMICOLON || t2->kind == TK_RBRACE || t2->kind == TK_EOF;
	return false;
}

/*
 * the statements that start with a plain word: LIVE SELECT [DIFF] ...,
 * KILL id, SHOW CHANGES FOR TABLE t SINCE v [LIMIT n], SLEEP duration,
 * BREAK, CONTINUE
 */
static void
parse_word_stmt(Parser *p, SurqlStmt *s)
{
	if (accept_word(p, "LIVE"))
	{
		s->kind = SS_LIVE;
		expect_kw(p, KW_SELECT);
		s->diff = accept_kw(p, KW_DIFF);
		parse_select(p, s);
	}
	else if (accept_word(p, "KILL"))
	{
		/*
		 * KILL takes one uuid string or $param, not an expression: printed
		 * as an expression in parentheses it would read back as a call
		 */
		s->kind = SS_KILL;
		s->expr = parse_primary(p);
	}
	else if (accept_word(p, "BREAK"))
		s->kind = SS_BREAK;
	else if (accept_word(p, "CONTINUE"))
		s->kind = SS_CONTINUE;
	else if (accept_word(p, "SLEEP"))
	{
		s->kind = SS_SLEEP;
		s->expr = parse_unary(p);
		if (s->expr->kind != SN_DURATION)
			fail(p, "a duration");
	}
	else if (accept_word(p, "SHOW"))
	{
		s->kind = SS_SHOW_CHANGES;
		if (!accept_word(p, "CHANGES"))
			fail(p, "CHANGES");
		expect_kw(p, KW_FOR);
		expect_kw(p, KW_TABLE);
		s->name = expect_name(p, "a table name");
		if (!accept_word(p, "SINCE"))
			fail(p, "SINCE");
		s->expr = parse_unary(p);
		if (accept_kw(p, KW_LIMIT))
			s->limit = parse_unary(p);
	}
	else
		fail(p, "a statement");
}

static void parse_block(Parser *p, SurqlStmt ***out, int *n, bool brace);

/* whether the { here starts an object ({}, {k: ...}) rather than a block */
static bool
starts_object(Parser *p)
{
	SurqlTokenKind k2 = peek2(p)->kind;

	if (k2 == TK_RBRACE)
		return true;
	if (k2 != TK_IDENT && k2 != TK_KEYWORD && k2 != TK_STRING && k2 != TK_INTEGER)
		return false;
	return p->t[p->pos + 2].kind == TK_COLON;
}

static bool starts_statement_kw(SurqlKeyword kw);

/*
 * whether the { here starts a set {a, b} rather than a block: no
 * statement keyword after it, and a comma outside brackets before the
 * first ; or the closing }
 */
static bool
starts_set(Parser *p)
{
	int			i = p->pos + 1;
	int			depth = 0;

	if (p->t[i].kind == TK_KEYWORD && starts_statement_kw(p->t[i].keyword))
		return false;
	for (; p->t[i].kind != TK_EOF; i++)
	{
		switch (p->t[i].kind)
		{
			case TK_LPAREN:
			case TK_LBRACKET:
			case TK_LBRACE:
				depth++;
				break;
			case TK_RPAREN:
			case TK_RBRACKET:
			case TK_RBRACE:
				if (depth-- == 0)
					return false;
				break;
			case TK_SEMICOLON:
				if (depth == 0)
					return false;
				break;
			case TK_COMMA:
				if (depth == 0)
					return true;
				break;
			default:
				break;
		}
	}
	return false;
}

/* the keywords that start a statement (any other token starts an expression) */
static bool
starts_statement_kw(SurqlKeyword kw)
{
	switch (kw)
	{
		case KW_SELECT:
		case KW_CREATE:
		case KW_INSERT:
		case KW_UPDATE:
		case KW_UPSERT:
		case KW_DELETE:
		case KW_RELATE:
		case KW_LET:
		case KW_DEFINE:
		case KW_REMOVE:
		case KW_INFO:
		case KW_RETURN:
		case KW_IF:
		case KW_BEGIN:
		case KW_COMMIT:
		case KW_CANCEL:
			return true;
		default:
			return false;
	}
}

static SurqlStmt *
parse_stmt(Parser *p)
{
	SurqlStmt  *s = alloc(p, sizeof(SurqlStmt));
	SurqlToken *t = peek(p);

	s->offset = t->offset;
	enter(p);
	if (t->kind == TK_LBRACE && !starts_object(p) && !starts_set(p))
	{
		/* { stmt; ... }: a block, run as IF TRUE { ... } */
		SurqlNode  *yes = node(p, SN_BOOL);

		yes->ival = 1;
		next(p);
		s->kind = SS_IF;
		s->where = yes;
		parse_block(p, &s->body, &s->nbody, true);
		p->depth--;
		return s;
	}
	if (t->kind == TK_IDENT && pg_strcasecmp(t->text, "THROW") == 0 &&
		(peek2(p)->kind == TK_STRING || peek2(p)->kind == TK_PARAM ||
		 peek2(p)->kind == TK_INTEGER || peek2(p)->kind == TK_LBRACE ||
		 peek2(p)->kind == TK_LBRACKET || peek2(p)->kind == TK_LPAREN))
	{
		next(p);
		s->kind = SS_THROW;
		s->expr = parse_expr(p);
		p->depth--;
		return s;
	}
	if (t->kind == TK_IDENT && starts_word_stmt(p))
	{
		parse_word_stmt(p, s);
		p->depth--;
		return s;
	}
	if (t->kind == TK_KEYWORD && t->keyword == KW_FOR && peek2(p)->kind == TK_PARAM)
	{
		/* FOR $x IN e { ... }, or over a range of integers a..b (a..=b) */
		next(p);
		s->kind = SS_FOR;
		s->name = dupstr(p, peek(p)->text, peek(p)->len);
		next(p);
		expect_kw(p, KW_IN);
		s->expr = parse_expr(p);
		if (s->expr->kind == SN_RANGE)
		{
			/* FOR $i IN a..b: the range's ends */
			if (s->expr->b == NULL || s->expr->flag)
				fail(p, "a range a..b or a..=b");
			s->value = s->expr->ival;
			s->where = s->expr->b;
			s->expr = s->expr->a;
		}
		else if (accept(p, TK_DOTDOT))
		{
			s->value = accept(p, TK_EQ);
			s->where = parse_expr(p);
		}
		expect(p, TK_LBRACE, "{");
		parse_block(p, &s->body, &s->nbody, true);
		p->depth--;
		return s;
	}
	if (t->kind != TK_KEYWORD || !starts_statement_kw(t->keyword))
	{
		/* a bare expression: its value is the statement's result */
		s->kind = SS_EXPR;
		s->expr = parse_expr(p);
		p->depth--;
		return s;
	}
	switch (t->keyword)
	{
		case KW_SELECT:
			next(p);
			s->kind = SS_SELECT;
			parse_select(p, s);
			break;
		case KW_CREATE:
			next(p);
			s->kind = SS_CREATE;
			s->only = accept_word(p, "ONLY");
			parse_list(p, &s->from, &s->nfrom);
			parse_data(p, s, false);
			parse_return(p, s);
			break;
		case KW_INSERT:
			next(p);
			s->kind = SS_INSERT;
			for (;;)
			{
				if (accept_word(p, "IGNORE"))
					s->ignore = true;
				else if (accept_kw(p, KW_RELATION))
					s->relation = true;
				else
					break;
			}
			/* without INTO t: the table of the records' ids (name NULL) */
			if (accept_kw(p, KW_INTO))
				s->name = expect_name(p, "a table name");
			if (peek(p)->kind == TK_LPAREN &&
				(peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_KEYWORD) &&
				(p->t[p->pos + 2].kind == TK_COMMA || p->t[p->pos + 2].kind == TK_RPAREN))
				s->content = parse_insert_values(p);
			else
				s->content = parse_expr(p);
			if (accept_kw(p, KW_ON))
			{
				/* ON DUPLICATE KEY UPDATE f = v, ...: in set_fields */
				if (!accept_word(p, "DUPLICATE"))
					fail(p, "DUPLICATE");
				if (!accept_word(p, "KEY"))
					fail(p, "KEY");
				expect_kw(p, KW_UPDATE);
				parse_set_list(p, s);
			}
			parse_return(p, s);
			break;
		case KW_UPDATE:
		case KW_UPSERT:
			next(p);
			s->kind = t->keyword == KW_UPDATE ? SS_UPDATE : SS_UPSERT;
			s->only = accept_word(p, "ONLY");
			parse_list(p, &s->from, &s->nfrom);
			parse_data(p, s, true);
			if (accept_kw(p, KW_WHERE))
				s->where = parse_expr(p);
			parse_return(p, s);
			break;
		case KW_DELETE:
			next(p);
			s->kind = SS_DELETE;
			accept_kw(p, KW_FROM);
			s->only = accept_word(p, "ONLY");
			parse_list(p, &s->from, &s->nfrom);
			if (accept_kw(p, KW_WHERE))
				s->where = parse_expr(p);
			parse_return(p, s);
			break;
		case KW_RELATE:
			next(p);
			s->kind = SS_RELATE;
			s->only = accept_word(p, "ONLY");
			s->rel_from = parse_primary(p);
			expect(p, TK_ARROW_OUT, "->");
			s->rel_edge = expect_name(p, "an edge table name");
			if (peek(p)->kind == TK_COLON)
			{
				/* ->edge:key-> : the edge's own id */
				s->rel_id = node(p, SN_RECORD);
				s->rel_id->str = s->rel_edge;
				next(p);
				parse_record_key(p, s->rel_id);
			}
			expect(p, TK_ARROW_OUT, "->");
			s->rel_to = parse_primary(p);
			parse_data(p, s, false);
			parse_return(p, s);
			break;
		case KW_LET:
			next(p);
			s->kind = SS_LET;
			if (peek(p)->kind != TK_PARAM)
				fail(p, "a $parameter");
			s->name = dupstr(p, peek(p)->text, peek(p)->len);
			next(p);
			if (accept(p, TK_COLON))
				s->ftype = parse_type_union(p);	/* LET $x: type = e: e cast to type */
			expect(p, TK_EQ, "=");
			s->expr = starts_stmt(p) ? NULL : parse_expr(p);
			if (s->expr == NULL)
			{
				SurqlNode  *sub = node(p, SN_SUBQUERY);

				sub->stmt = parse_stmt(p);
				s->expr = sub;
			}
			if (s->ftype)
			{
				SurqlNode  *c = node(p, SN_CAST);

				c->str = s->ftype;
				c->a = s->expr;
				s->expr = c;
				s->ftype = NULL;
			}
			break;
		case KW_DEFINE:
			next(p);
			parse_define(p, s);
			break;
		case KW_REMOVE:
			next(p);
			if (accept_kw(p, KW_TABLE))
			{
				s->kind = SS_REMOVE_TABLE;
				parse_remove_mode(p, s);
				s->name = expect_name(p, "a table name");
			}
			else if (accept_kw(p, KW_FIELD))
			{
				s->kind = SS_REMOVE_FIELD;
				parse_remove_mode(p, s);
				s->field = parse_field_name(p);
				parse_on_table(p, s);
			}
			else if (accept_kw(p, KW_INDEX))
			{
				s->kind = SS_REMOVE_INDEX;
				parse_remove_mode(p, s);
				s->field = expect_name(p, "an index name");
				parse_on_table(p, s);
			}
			else if (accept_kw(p, KW_ANALYZER))
			{
				s->kind = SS_REMOVE_ANALYZER;
				parse_remove_mode(p, s);
				s->name = expect_name(p, "an analyzer name");
			}
			else if (accept_word(p, "EVENT"))
			{
				s->kind = SS_REMOVE_EVENT;
				s->field = expect_name(p, "an event name");
				parse_on_table(p, s);
			}
			else if (accept_word(p, "FUNCTION"))
			{
				s->kind = SS_REMOVE_FUNCTION;
				parse_remove_mode(p, s);
				s->name = parse_fn_name(p);
				/* fn::name(): the parentheses may be written */
				if (accept(p, TK_LPAREN))
					expect(p, TK_RPAREN, ")");
			}
			else if (accept_word(p, "PARAM"))
			{
				s->kind = SS_REMOVE_PARAM;
				parse_remove_mode(p, s);
				s->name = parse_param_name(p);
			}
			else
				fail(p, "TABLE, FIELD, INDEX, EVENT, ANALYZER, FUNCTION or PARAM");
			break;
		case KW_INFO:
			next(p);
			s->kind = SS_INFO;
			expect_kw(p, KW_FOR);
			if (accept_kw(p, KW_TABLE) || accept_word(p, "TB"))
				s->name = expect_name(p, "a table name");
			else if (peek(p)->kind == TK_IDENT && (pg_strcasecmp(peek(p)->text, "DB") == 0 ||
												   pg_strcasecmp(peek(p)->text, "DATABASE") == 0))
				next(p);
			else
				fail(p, "TABLE or DB");
			break;
		case KW_RETURN:
			next(p);
			s->kind = SS_RETURN;
			if (starts_stmt(p))
			{
				/* RETURN SELECT ...: the statement's value, as (SELECT ...) */
				s->expr = node(p, SN_SUBQUERY);
				s->expr->stmt = parse_stmt(p);
			}
			else
				s->expr = parse_expr(p);
			break;
		case KW_IF:
			{
				bool		then_form = false;

				next(p);
				parse_if(p, s, &then_form);
				if (then_form)
					expect_kw(p, KW_END);
			}
			break;
		case KW_BEGIN:
		case KW_COMMIT:
		case KW_CANCEL:
			next(p);
			s->kind = t->keyword == KW_BEGIN ? SS_BEGIN :
				t->keyword == KW_COMMIT ? SS_COMMIT : SS_CANCEL;
			accept_kw(p, KW_TRANSACTION);
			break;
		default:
			fail(p, "a statement");
	}
	for (;;)
	{
		/* TIMEOUT d and PARALLEL: accepted, not kept (statements run to their end) */
		if (peek(p)->kind == TK_IDENT && pg_strcasecmp(peek(p)->text, "TIMEOUT") == 0 &&
			(peek2(p)->kind == TK_IDENT || peek2(p)->kind == TK_INTEGER))
		{
			next(p);
			(void) parse_primary(p);
		}
		else if (!accept_word(p, "PARALLEL"))
			break;
	}
	p->depth--;
	return s;
}

/*
 * parse_block - the statements of one branch of IF: up to } (brace) or to
 * ELSE or END (THEN), separated by ;
 */
static void
parse_block(Parser *p, SurqlStmt ***out, int *n, bool brace)
{
	PtrList		l = {0};

	for (;;)
	{
		while (accept(p, TK_SEMICOLON))
			;
		if (brace ? peek(p)->kind == TK_RBRACE : (is_kw(p, KW_ELSE) || is_kw(p, KW_END)))
			break;
		list_add(p, &l, parse_stmt(p));
		if (peek(p)->kind != TK_SEMICOLON &&
			(brace ? peek(p)->kind != TK_RBRACE : !(is_kw(p, KW_ELSE) || is_kw(p, KW_END))))
			fail(p, brace ? "; or }" : "; or ELSE or END");
	}
	if (brace)
		expect(p, TK_RBRACE, "}");
	*out = (SurqlStmt **) l.items;
	*n = l.n;
}

/*
 * parse_if - after IF: cond THEN ... or cond { ... }, then ELSE IF ... or
 * ELSE ...; *then_form is set when a branch is written with THEN (the
 * whole chain then ends with one END)
 */
static void
parse_if(Parser *p, SurqlStmt *s, bool *then_form)
{
	bool		brace;

	s->kind = SS_IF;
	s->where = parse_expr(p);
	brace = accept(p, TK_LBRACE);
	if (!brace)
	{
		if (!is_kw(p, KW_THEN))
			fail(p, "THEN or {");
		next(p);
		*then_form = true;
	}
	parse_block(p, &s->body, &s->nbody, brace);
	if (!accept_kw(p, KW_ELSE))
		return;
	s->has_else = true;
	if (is_kw(p, KW_IF))
	{
		SurqlStmt  *e = alloc(p, sizeof(SurqlStmt));

		e->offset = peek(p)->offset;
		next(p);
		enter(p);
		parse_if(p, e, then_form);
		p->depth--;
		s->else_body = alloc(p, sizeof(SurqlStmt *));
		s->else_body[0] = e;
		s->nelse = 1;
		return;
	}
	brace = accept(p, TK_LBRACE);
	if (!brace)
		*then_form = true;
	parse_block(p, &s->else_body, &s->nelse, brace);
}

/*
 * dllb_surql_parse - lex and parse; on a lexical or syntax error
 * res->failed is set with the message and position.
 */
void
dllb_surql_parse(const char *in, int len, SurqlParse *res)
{
	Parser		p;
	PtrList		stmts = {0};

	memset(res, 0, sizeof(*res));
	dllb_surql_lex(in, len, &res->lex);
	if (res->lex.error != SURQL_LEX_OK)
	{
		res->failed = true;
		res->message = pstrdup(dllb_surql_lex_error_message(res->lex.error));
		res->err_offset = res->lex.err_offset;
		res->err_line = res->lex.err_line;
		res->err_column = res->lex.err_column;
		return;
	}
	memset(&p, 0, sizeof(p));
	p.res = res;
	p.t = res->lex.tokens;
	if (setjmp(p.fail) != 0)
		return;
	for (;;)
	{
		while (accept(&p, TK_SEMICOLON))
			;
		if (peek(&p)->kind == TK_EOF)
			break;
		list_add(&p, &stmts, parse_stmt(&p));
		if (peek(&p)->kind != TK_EOF && peek(&p)->kind != TK_SEMICOLON)
			fail(&p, "; or the end of the statement");
	}
	res->stmts = (SurqlStmt **) stmts.items;
	res->nstmts = stmts.n;
}

void
dllb_surql_parse_free(SurqlParse *res)
{
	SurqlArenaBlock *b = res->arena;
	int			i;

	while (b)
	{
		SurqlArenaBlock *nb = b->next;

		pfree(b);
		b = nb;
	}
	for (i = 0; i < res->lex.ntokens; i++)
		pfree(res->lex.tokens[i].text);
	if (res->lex.tokens)
		pfree(res->lex.tokens);
	if (res->message)
		pfree(res->message);
	res->arena = NULL;
}
