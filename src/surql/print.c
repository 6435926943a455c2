/*-------------------------------------------------------------------------
 *
 * print.c
 *	  The canonical text of parsed statements.
 *
 * Every binary operation is parenthesised, keywords are upper case,
 * strings use single quotes, and a name that is not a plain word (or is
 * a keyword) is quoted with backticks, a record key with ⟨⟩.  Printing,
 * parsing that and printing again gives the same text (the fuzz target
 * checks it), so the text can key the plan cache and shows the user how
 * a statement was read.
 *
 * IDENTIFICATION
 *	  src/surql/print.c
 *
 *-------------------------------------------------------------------------
 */
#include "surql/ast.h"

#include "lib/stringinfo.h"

#include <math.h>

#define SURQL_OP_NOT_IN 10000

static void print_expr(StringInfo out, const SurqlNode *n);
static void print_stmt(StringInfo out, const SurqlStmt *s);
static void print_type(StringInfo out, const char *t);

/*
 * While printing a definition as INFO FOR shows it (print_definition):
 * expressions as SurrealQL displays them - parentheses only where
 * precedence needs them, true/false, 1.5f, <int> x, -x, !x.  Set by each
 * entry point of this file, so an error that left it set does not matter.
 */
static bool display_style = false;

static bool
is_keyword(const char *s)
{
	int			k;

	for (k = 1; k < KW_COUNT_; k++)
		if (pg_strcasecmp(s, dllb_surql_keyword_name((SurqlKeyword) k)) == 0)
			return true;
	return false;
}

/* a name printed bare: a plain word that is not a keyword */
static bool
plain_word(const char *s)
{
	return dllb_surql_is_plain_word(s) && !is_keyword(s);
}

/* text between openers, with the closer and backslash escaped */
static void
print_quoted(StringInfo out, const char *s, const char *open, const char *close,
			 bool c_escapes)
{
	int			closelen = strlen(close);

	appendStringInfoString(out, open);
	for (; *s; s++)
	{
		if (*s == '\\')
			appendStringInfoString(out, "\\\\");
		else if (strncmp(s, close, closelen) == 0)
		{
			appendStringInfoChar(out, '\\');
			appendStringInfoString(out, close);
			s += closelen - 1;
		}
		else if (c_escapes && *s == '\n')
			appendStringInfoString(out, "\\n");
		else if (c_escapes && *s == '\t')
			appendStringInfoString(out, "\\t");
		else if (c_escapes && *s == '\r')
			appendStringInfoString(out, "\\r");
		else
			appendStringInfoChar(out, *s);
	}
	appendStringInfoString(out, close);
}

static void
print_name(StringInfo out, const char *s)
{
	if (plain_word(s))
		appendStringInfoString(out, s);
	else
		print_quoted(out, s, "`", "`", false);
}

/*
 * a record key: an integer, a plain word, ⟨anything⟩, an object or an
 * array of expressions (a bare .. element: the greatest value)
 */
static void
print_record_key(StringInfo out, const SurqlNode *k)
{
	int			i;

	if (k->kind == SN_ARRAY)
	{
		appendStringInfoChar(out, '[');
		for (i = 0; i < k->nitems; i++)
		{
			if (i > 0)
				appendStringInfoString(out, ", ");
			if (k->items[i]->kind == SN_RANGE && k->items[i]->a == NULL)
				appendStringInfoString(out, "..");
			else
				print_expr(out, k->items[i]);
		}
		appendStringInfoChar(out, ']');
	}
	else if (k->kind == SN_OBJECT)
		print_expr(out, k);
	else if (k->kind == SN_INT)
		appendStringInfo(out, INT64_FORMAT, k->ival);
	else if (plain_word(k->str))
		appendStringInfoString(out, k->str);
	else
		print_quoted(out, k->str, "\xe2\x9f\xa8", "\xe2\x9f\xa9", false);
}

static void
print_list(StringInfo out, SurqlNode *const *items, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(out, ", ");
		print_expr(out, items[i]);
	}
}

static const char *
op_text(int op)
{
	if (op == SURQL_OP_NOT_IN)
		return "NOT IN";
	if (op == SURQL_OP_ALLINSIDE)
		return "ALLINSIDE";
	if (op == SURQL_OP_ANYINSIDE)
		return "ANYINSIDE";
	if (op == SURQL_OP_NONEINSIDE)
		return "NONEINSIDE";
	if (op == SURQL_OP_CONTAINSNONE)
		return "CONTAINSNONE";
	if (op == SURQL_OP_ALLEQUAL)
		return "*=";
	if (op == SURQL_OP_ANYEQUAL)
		return "?=";
	if (op < 0)
		return dllb_surql_keyword_name((SurqlKeyword) -op);
	switch ((SurqlTokenKind) op)
	{
		case TK_EQ:
			return "=";
		case TK_EQEQ:
			return "==";
		case TK_NE:
			return "!=";
		case TK_LT:
			return "<";
		case TK_LE:
			return "<=";
		case TK_GT:
			return ">";
		case TK_GE:
			return ">=";
		case TK_PERCENT:
			return "%";
		case TK_POW:
			return "**";
		case TK_QQ:
			return "??";
		case TK_QCOLON:
			return "?:";
		case TK_PLUS:
			return "+";
		case TK_MINUS:
			return "-";
		case TK_STAR:
			return "*";
		case TK_SLASH:
			return "/";
		case TK_ARROW_OUT:
			return "->";
		case TK_ARROW_IN:
			return "<-";
		case TK_ARROW_BOTH:
			return "<->";
		default:
			return "?";
	}
}

/* how tightly a binary operator binds (the parser's order, loosest first) */
static int
op_prec(int op)
{
	if (op == TK_QQ || op == TK_QCOLON)
		return 0;
	if (op == -(int) KW_OR)
		return 1;
	if (op == -(int) KW_AND)
		return 2;
	if (op == TK_PLUS || op == TK_MINUS)
		return 5;
	if (op == TK_STAR || op == TK_SLASH || op == TK_PERCENT)
		return 6;
	if (op == TK_POW)
		return 7;
	return 4;
}

/* an operand in display style: parenthesised when it binds looser than min */
static void
print_operand(StringInfo out, const SurqlNode *n, int min)
{
	bool		paren = n->kind == SN_BINARY && n->op != SURQL_OP_INDEX && op_prec(n->op) < min;

	if (paren)
		appendStringInfoChar(out, '(');
	print_expr(out, n);
	if (paren)
		appendStringInfoChar(out, ')');
}

/*
 * starts_other_than_call - whether name( reads as something other than a
 * call after ( or RETURN: a statement (insert(1) is INSERT 1) or NOT; such
 * a call prints as `insert`(1)
 */
static bool
starts_other_than_call(const char *name)
{
	static const char *const words[] = {"select", "create", "insert", "update",
	"upsert", "delete", "relate", "not"};
	int			i;

	for (i = 0; i < lengthof(words); i++)
		if (pg_strcasecmp(name, words[i]) == 0)
			return true;
	return false;
}

static void
print_path(StringInfo out, const SurqlNode *f)
{
	int			i;

	for (i = 0; i < f->nitems; i++)
	{
		if (i > 0)
			appendStringInfoChar(out, '.');
		if (i > 0 && strcmp(f->keys[i], "*") == 0 && display_style)
			appendStringInfoChar(out, '*');	/* a.*.b */
		else if (i > 0 && strcmp(f->keys[i], "*") == 0)
		{
			/*
			 * a.`*`.b: the same path, read back as it is wherever a path
			 * goes (SET, OMIT, a.* alone), where .* is not
			 */
			appendStringInfoString(out, "`*`");
		}
		else
			print_name(out, f->keys[i]);
	}
}

static void
print_expr(StringInfo out, const SurqlNode *n)
{
	int			i;

	switch (n->kind)
	{
		case SN_NULL:
			appendStringInfoString(out, "NULL");
			break;
		case SN_NONE:
			appendStringInfoString(out, "NONE");
			break;
		case SN_BOOL:
			if (display_style)
				appendStringInfoString(out, n->ival ? "true" : "false");
			else
				appendStringInfoString(out, n->ival ? "TRUE" : "FALSE");
			break;
		case SN_INT:
			appendStringInfo(out, INT64_FORMAT, n->ival);
			break;
		case SN_FLOAT:
			appendStringInfoString(out, n->str);
			if (display_style && n->str[strlen(n->str) - 1] != 'f' &&
				strstr(n->str, "dec") == NULL)
				appendStringInfoChar(out, 'f');
			break;
		case SN_STRING:
			if (n->flag)
				print_quoted(out, n->str, "u'", "'", false);
			else
				print_quoted(out, n->str, "'", "'", true);
			break;
		case SN_DATETIME:
			print_quoted(out, n->str, "d'", "'", false);
			break;
		case SN_PARAM:
			appendStringInfo(out, "$%s", n->str);
			if (n->nitems > 0)
			{
				appendStringInfoChar(out, '.');
				print_path(out, n);
			}
			break;
		case SN_RECORD:
			print_name(out, n->str);
			appendStringInfoChar(out, ':');
			if (n->key)
				print_record_key(out, n->key);
			if (n->flag)
			{
				appendStringInfoString(out, n->ival ? "..=" : "..");
				if (n->b)
					print_record_key(out, n->b);
			}
			break;
		case SN_ARRAY:
			appendStringInfoChar(out, '[');
			print_list(out, n->items, n->nitems);
			appendStringInfoChar(out, ']');
			break;
		case SN_OBJECT:
			appendStringInfoString(out, display_style ? "{ " : "{");
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoString(out, ", ");
				if (display_style && dllb_surql_is_plain_word(n->keys[i]))
					appendStringInfoString(out, n->keys[i]);
				else
					print_quoted(out, n->keys[i], "'", "'", true);
				appendStringInfoString(out, ": ");
				print_expr(out, n->items[i]);
			}
			appendStringInfoString(out, display_style ? " }" : "}");
			break;
		case SN_FIELD:
			print_path(out, n);
			break;
		case SN_ALL:
			appendStringInfoChar(out, '*');
			break;
		case SN_UNARY:
			if (display_style)
			{
				appendStringInfoString(out, n->op == TK_MINUS ? "-" : "!");
				print_operand(out, n->a, 100);
				break;
			}
			appendStringInfoString(out, n->op == TK_MINUS ? "(-(" : "(NOT (");
			print_expr(out, n->a);
			appendStringInfoString(out, "))");
			break;
		case SN_BINARY:
			if (n->op == SURQL_OP_INDEX)
			{
				print_expr(out, n->a);
				appendStringInfoChar(out, '[');
				print_expr(out, n->b);
				appendStringInfoChar(out, ']');
				break;
			}
			if (display_style)
			{
				int			prec = op_prec(n->op);

				print_operand(out, n->a, n->op == TK_POW ? prec + 1 : prec);
				appendStringInfo(out, " %s ", op_text(n->op));
				print_operand(out, n->b, n->op == TK_POW ? prec : prec + 1);
				break;
			}
			appendStringInfoChar(out, '(');
			print_expr(out, n->a);
			appendStringInfo(out, " %s ", op_text(n->op));
			print_expr(out, n->b);
			appendStringInfoChar(out, ')');
			break;
		case SN_IS_NONE:
			appendStringInfoChar(out, '(');
			print_expr(out, n->a);
			appendStringInfoString(out, n->ival ? " IS NOT " : " IS ");
			appendStringInfoString(out, n->flag ? "NULL)" : "NONE)");
			break;
		case SN_MATCH:
			appendStringInfoChar(out, '(');
			print_expr(out, n->a);
			appendStringInfoString(out, " @");
			if (n->ival > 0)
				appendStringInfo(out, INT64_FORMAT, n->ival);
			if (n->flag)
				appendStringInfoString(out, n->ival > 0 ? ",OR" : "OR");
			appendStringInfoString(out, "@ ");
			print_expr(out, n->b);
			appendStringInfoChar(out, ')');
			break;
		case SN_KNN:
			appendStringInfoChar(out, '(');
			print_expr(out, n->a);
			appendStringInfo(out, " <|" INT64_FORMAT, n->ival);
			if (n->op != 0)
				appendStringInfo(out, ",%s", dllb_surql_keyword_name((SurqlKeyword) n->op));
			else if (n->ival2 != 0)
				appendStringInfo(out, "," INT64_FORMAT, n->ival2);
			appendStringInfoString(out, "|> ");
			print_expr(out, n->b);
			appendStringInfoChar(out, ')');
			break;
		case SN_CALL:
			if (n->flag)
			{
				/* a method call: v.name(args) */
				print_expr(out, n->items[0]);
				appendStringInfo(out, ".%s(", n->str);
				print_list(out, n->items + 1, n->nitems - 1);
				appendStringInfoChar(out, ')');
				break;
			}
			if (n->op == 1)
			{
				appendStringInfoString(out, n->str);	/* a constant */
				break;
			}
			if (!display_style && starts_other_than_call(n->str))
				print_quoted(out, n->str, "`", "`", false);
			else
				appendStringInfoString(out, n->str);
			appendStringInfoChar(out, '(');
			print_list(out, n->items, n->nitems);
			appendStringInfoChar(out, ')');
			break;
		case SN_SUBQUERY:
			appendStringInfoChar(out, '(');
			print_stmt(out, n->stmt);
			appendStringInfoChar(out, ')');
			break;
		case SN_GRAPH:
			if (n->a)
				print_expr(out, n->a);
			for (i = 0; i < n->nitems; i++)
			{
				const SurqlNode *s = n->items[i];

				appendStringInfoString(out, op_text(s->op));
				if (s->stmt)
				{
					appendStringInfoChar(out, '(');
					print_stmt(out, s->stmt);
					appendStringInfoChar(out, ')');
					continue;
				}
				if (s->nitems > 0 || s->key || s->b)
				{
					/* ->(a, b WHERE e LIMIT n START m) */
					int			k;

					appendStringInfoChar(out, '(');
					if (s->nitems == 0)
					{
						if (strcmp(s->str, "?") == 0)
							appendStringInfoChar(out, '?');
						else
							print_name(out, s->str);
					}
					for (k = 0; k < s->nitems; k++)
					{
						if (k > 0)
							appendStringInfoString(out, ", ");
						print_name(out, s->keys[k]);
					}
					if (s->a)
					{
						appendStringInfoString(out, " WHERE ");
						print_expr(out, s->a);
					}
					if (s->key)
					{
						appendStringInfoString(out, " LIMIT ");
						print_expr(out, s->key);
					}
					if (s->b)
					{
						appendStringInfoString(out, " START ");
						print_expr(out, s->b);
					}
					appendStringInfoChar(out, ')');
					continue;
				}
				if (strcmp(s->str, "?") == 0)
					appendStringInfoChar(out, '?');
				else
					print_name(out, s->str);
				if (s->a)
				{
					appendStringInfoString(out, "[WHERE ");
					print_expr(out, s->a);
					appendStringInfoChar(out, ']');
				}
			}
			for (i = 0; n->b && i < n->b->nitems; i++)
			{
				/* the field after the steps; a last * is every field */
				appendStringInfoChar(out, '.');
				if (i == n->b->nitems - 1 && strcmp(n->b->keys[i], "*") == 0)
					appendStringInfoChar(out, '*');
				else
					print_name(out, n->b->keys[i]);
			}
			break;
		case SN_STEP:
			appendStringInfoChar(out, '?');
			break;
		case SN_DURATION:
			appendStringInfoString(out, n->str);
			break;
		case SN_CAST:
			if (display_style)
			{
				appendStringInfo(out, "<%s> ", n->str);
				print_operand(out, n->a, 100);
				break;
			}
			appendStringInfo(out, "(<%s> ", n->str);
			print_expr(out, n->a);
			appendStringInfoChar(out, ')');
			break;
		case SN_CLOSURE:
			appendStringInfoString(out, "(|");
			for (i = 0; i < n->nitems; i++)
				appendStringInfo(out, "%s$%s", i > 0 ? ", " : "", n->items[i]->str);
			appendStringInfoString(out, "| ");
			print_expr(out, n->a);
			appendStringInfoChar(out, ')');
			break;
		case SN_IF:
			/*
			 * IF (c) { (a) } ELSE { (b) }, no parentheses around it ((IF
			 * would be a subquery), an IF in a branch as it is
			 */
			appendStringInfoString(out, "IF (");
			print_expr(out, n->a);
			appendStringInfoString(out, ") { ");
			if (n->b->kind == SN_IF)
				print_expr(out, n->b);
			else
			{
				appendStringInfoChar(out, '(');
				print_expr(out, n->b);
				appendStringInfoChar(out, ')');
			}
			appendStringInfoString(out, " }");
			if (n->key && n->key->kind == SN_IF)
			{
				appendStringInfoString(out, " ELSE ");
				print_expr(out, n->key);
			}
			else if (n->key)
			{
				appendStringInfoString(out, " ELSE { (");
				print_expr(out, n->key);
				appendStringInfoString(out, ") }");
			}
			break;
		case SN_SET:
			/* each element in parentheses ({t:1} would be an object), a comma after each */
			appendStringInfoChar(out, '{');
			for (i = 0; i < n->nitems; i++)
			{
				appendStringInfoString(out, i > 0 ? " (" : "(");
				print_expr(out, n->items[i]);
				appendStringInfoString(out, "),");
			}
			/* {,}: the empty set ({} is an empty object) */
			appendStringInfoString(out, n->nitems == 0 ? ",}" : "}");
			break;
		case SN_REGEX:
			/* in parentheses: a / after ( always starts a regex */
			{
				const char *c;

				/* (SurrealQL displays it bare) */
				appendStringInfoString(out, display_style ? "/" : "(/");
				for (c = n->str; *c; c++)
				{
					if (*c == '/')
						appendStringInfoChar(out, '\\');
					appendStringInfoChar(out, *c);
				}
				appendStringInfoString(out, display_style ? "/" : "/)");
			}
			break;
		case SN_RANGE:
			/* each end in parentheses: (t:1)..2 is no range of records */
			appendStringInfoString(out, "((");
			print_expr(out, n->a);
			appendStringInfoString(out, n->flag ? ")>.." : ")..");
			if (n->ival)
				appendStringInfoChar(out, '=');
			if (n->b)
			{
				appendStringInfoChar(out, '(');
				print_expr(out, n->b);
				appendStringInfoChar(out, ')');
			}
			appendStringInfoChar(out, ')');
			break;
		case SN_DESTRUCTURE:
			print_expr(out, n->a);
			appendStringInfoString(out, ".{");
			for (i = 0; i < n->nitems; i++)
			{
				if (i > 0)
					appendStringInfoString(out, ", ");
				print_name(out, n->keys[i]);
				if (n->b && n->b->items[i]->kind == SN_FIELD)
				{
					appendStringInfoString(out, ": ");
					print_path(out, n->b->items[i]);
				}
			}
			appendStringInfoChar(out, '}');
			break;
		case SN_RECURSE:
			if (n->a)
				print_expr(out, n->a);
			appendStringInfo(out, ".{" INT64_FORMAT, n->ival);
			if (n->ival2 == 0)
				appendStringInfoString(out, "..");
			else if (n->ival2 != n->ival)
				appendStringInfo(out, ".." INT64_FORMAT, n->ival2);
			if (n->op == SURQL_RECURSE_COLLECT)
				appendStringInfoString(out, "+collect");
			else if (n->op == SURQL_RECURSE_PATH)
				appendStringInfoString(out, "+path");
			else if (n->op == SURQL_RECURSE_SHORTEST)
			{
				appendStringInfoString(out, "+shortest=");
				print_expr(out, n->key);
			}
			if (n->flag)
				appendStringInfoString(out, "+inclusive");
			appendStringInfoChar(out, '}');
			if (n->b && n->b->kind == SN_DESTRUCTURE)
			{
				/* .{f, g: path.@}: the destructuring that repeats */
				appendStringInfoString(out, ".{");
				for (i = 0; i < n->b->nitems; i++)
				{
					const SurqlNode *v = n->b->b->items[i];

					if (i > 0)
						appendStringInfoString(out, ", ");
					print_name(out, n->b->keys[i]);
					if (v->kind == SN_NONE)
						continue;
					appendStringInfoString(out, ": ");
					if (v->kind == SN_FIELD)
						print_path(out, v);
					else
						print_expr(out, v);
					if (v->flag)
						appendStringInfoString(out, ".@");
				}
				appendStringInfoChar(out, '}');
			}
			else if (n->b)
			{
				/* the field path that repeats */
				appendStringInfoString(out, "(.");
				print_path(out, n->b);
				appendStringInfoChar(out, ')');
			}
			break;
	}
}

static void
print_data(StringInfo out, const SurqlStmt *s)
{
	int			i;

	switch (s->data)
	{
		case SD_NONE:
			break;
		case SD_SET:
			appendStringInfoString(out, " SET ");
			for (i = 0; i < s->nset; i++)
			{
				if (i > 0)
					appendStringInfoString(out, ", ");
				print_path(out, s->set_fields[i]);
				appendStringInfoString(out, s->set_fields[i]->op == TK_PLUS ? " += " :
									   s->set_fields[i]->op == TK_MINUS ? " -= " : " = ");
				print_expr(out, s->set_values[i]);
			}
			break;
		case SD_CONTENT:
		case SD_MERGE:
			appendStringInfoString(out, s->data == SD_CONTENT ? " CONTENT " : " MERGE ");
			print_expr(out, s->content);
			break;
	}
}

/* IF NOT EXISTS / OVERWRITE of DEFINE, IF EXISTS of REMOVE */
static void
print_define_mode(StringInfo out, const SurqlStmt *s)
{
	bool		remove = s->kind == SS_REMOVE_TABLE || s->kind == SS_REMOVE_FIELD ||
		s->kind == SS_REMOVE_INDEX || s->kind == SS_REMOVE_ANALYZER ||
		s->kind == SS_REMOVE_FUNCTION || s->kind == SS_REMOVE_PARAM;

	if (s->if_not_exists)
		appendStringInfoString(out, remove ? "IF EXISTS " : "IF NOT EXISTS ");
	else if (s->overwrite)
		appendStringInfoString(out, "OVERWRITE ");
}

/* COMMENT of DEFINE, when it has one */
static void
print_comment(StringInfo out, const SurqlStmt *s)
{
	if (s->comment)
	{
		appendStringInfoString(out, " COMMENT ");
		print_quoted(out, s->comment, "'", "'", true);
	}
}

/* PERMISSIONS and COMMENT of DEFINE */
static void
print_define_tail(StringInfo out, const SurqlStmt *s)
{
	if (s->has_permissions)
		appendStringInfoString(out, " PERMISSIONS NONE");
	print_comment(out, s);
}

/* the FIELDS list of DEFINE INDEX */
static void
print_index_fields(StringInfo out, const SurqlStmt *s)
{
	int			i;

	appendStringInfoString(out, " FIELDS ");
	for (i = 0; i < s->nfields; i++)
	{
		if (i > 0)
			appendStringInfoString(out, ", ");
		print_path(out, s->fields[i]);
	}
}

/* a DEFINE FIELD name: a.b, a[*] and a.* with each part a name */
static void
print_field_name(StringInfo out, const char *f)
{
	const char *c = f;

	while (*c)
	{
		const char *end = c;
		char	   *part;

		while (*end && *end != '.' && *end != '[')
			end++;
		part = pnstrdup(c, end - c);
		if (strcmp(part, "*") == 0 && c != f)
			appendStringInfoChar(out, '*');	/* a.* */
		else if (display_style && (strcmp(part, "in") == 0 || strcmp(part, "out") == 0))
			appendStringInfoString(out, part);	/* as SurrealDB shows an edge's ends */
		else
			print_name(out, part);
		pfree(part);
		while (strncmp(end, "[*]", 3) == 0)
		{
			appendStringInfoString(out, "[*]");
			end += 3;
		}
		if (*end == '.')
		{
			appendStringInfoChar(out, '.');
			end++;
		}
		else if (*end != '\0')
		{
			/* no name the parser reads (it refuses . and [ in a part) */
			print_name(out, end);
			break;
		}
		c = end;
	}
}

static void
print_return(StringInfo out, const SurqlStmt *s)
{
	static const char *const names[] = {"", " RETURN NONE", " RETURN BEFORE",
	" RETURN AFTER", " RETURN DIFF"};
	int			i;

	if (s->ret == SR_VALUE)
	{
		appendStringInfoString(out, " RETURN VALUE ");
		print_expr(out, s->ret_fields[0]);
		return;
	}
	if (s->ret == SR_FIELDS)
	{
		appendStringInfoString(out, " RETURN ");
		for (i = 0; i < s->nret; i++)
		{
			if (i > 0)
				appendStringInfoString(out, ", ");
			print_expr(out, s->ret_fields[i]);
			if (s->ret_aliases[i])
			{
				appendStringInfoString(out, " AS ");
				print_name(out, s->ret_aliases[i]);
			}
		}
		return;
	}
	appendStringInfoString(out, names[s->ret]);
}

static void print_stmt(StringInfo out, const SurqlStmt *s);

/* a branch of IF: { s1; s2; } */
static void
print_block(StringInfo out, SurqlStmt *const *stmts, int n)
{
	int			i;

	appendStringInfoString(out, " {");
	for (i = 0; i < n; i++)
	{
		appendStringInfoChar(out, ' ');
		print_stmt(out, stmts[i]);
		appendStringInfoChar(out, ';');
	}
	appendStringInfoString(out, " }");
}

/* PERMISSIONS of DEFINE FUNCTION or PARAM (dflt: when none was written) */
static void
print_one_permission(StringInfo out, const SurqlStmt *s, int dflt)
{
	int			kind = s->perm_kind[0] ? s->perm_kind[0] : dflt;

	if (kind == SURQL_PERM_DEFAULT)
		return;
	appendStringInfoString(out, " PERMISSIONS");
	if (kind == SURQL_PERM_WHERE)
	{
		appendStringInfoString(out, " WHERE ");
		print_expr(out, s->perm_where[0]);
	}
	else
		appendStringInfoString(out, kind == SURQL_PERM_NONE ? " NONE" : " FULL");
}

/* fn::name($a: type, ...) [-> type] of DEFINE FUNCTION */
static void
print_function_head(StringInfo out, const SurqlStmt *s)
{
	int			i;

	appendStringInfo(out, "fn::%s(", s->name);
	for (i = 0; i < s->nargs; i++)
	{
		appendStringInfo(out, "%s$%s", i ? ", " : "", s->arg_names[i]);
		if (s->arg_types[i])
		{
			appendStringInfoString(out, ": ");
			print_type(out, s->arg_types[i]);
		}
	}
	appendStringInfoChar(out, ')');
	if (s->ftype)
	{
		appendStringInfoString(out, " -> ");
		print_type(out, s->ftype);
	}
}

static void
print_stmt(StringInfo out, const SurqlStmt *s)
{
	int			i;

	switch (s->kind)
	{
		case SS_SELECT:
		case SS_LIVE:
			if (s->kind == SS_LIVE)
				appendStringInfoString(out, s->diff ? "LIVE SELECT DIFF " : "LIVE SELECT ");
			else
				appendStringInfoString(out, "SELECT ");
			if (s->value)
				appendStringInfoString(out, "VALUE ");
			for (i = 0; i < s->nfields; i++)
			{
				if (i > 0)
					appendStringInfoString(out, ", ");
				print_expr(out, s->fields[i]);
				if (s->aliases[i])
				{
					appendStringInfoString(out, " AS ");
					print_name(out, s->aliases[i]);
				}
			}
			if (s->nomit > 0)
			{
				appendStringInfoString(out, " OMIT ");
				for (i = 0; i < s->nomit; i++)
				{
					if (i > 0)
						appendStringInfoString(out, ", ");
					print_path(out, s->omit[i]);
				}
			}
			appendStringInfoString(out, s->only ? " FROM ONLY " : " FROM ");
			print_list(out, s->from, s->nfrom);
			if (s->where)
			{
				appendStringInfoString(out, " WHERE ");
				print_expr(out, s->where);
			}
			if (s->nsplit > 0)
			{
				appendStringInfoString(out, " SPLIT ");
				print_list(out, s->split, s->nsplit);
			}
			if (s->group_all)
				appendStringInfoString(out, " GROUP ALL");
			else if (s->ngroup > 0)
			{
				appendStringInfoString(out, " GROUP BY ");
				print_list(out, s->group, s->ngroup);
			}
			if (s->norder > 0)
			{
				appendStringInfoString(out, " ORDER BY ");
				for (i = 0; i < s->norder; i++)
				{
					if (i > 0)
						appendStringInfoString(out, ", ");
					print_expr(out, s->order[i]);
					if (s->order_mode && (s->order_mode[i] & SURQL_ORDER_COLLATE))
						appendStringInfoString(out, " COLLATE");
					if (s->order_mode && (s->order_mode[i] & SURQL_ORDER_NUMERIC))
						appendStringInfoString(out, " NUMERIC");
					appendStringInfoString(out, s->desc[i] ? " DESC" : " ASC");
				}
			}
			if (s->limit)
			{
				appendStringInfoString(out, " LIMIT ");
				print_expr(out, s->limit);
			}
			if (s->start)
			{
				appendStringInfoString(out, " START ");
				print_expr(out, s->start);
			}
			if (s->nfetch > 0)
			{
				appendStringInfoString(out, " FETCH ");
				print_list(out, s->fetch, s->nfetch);
			}
			if (s->version)
			{
				appendStringInfoString(out, " VERSION ");
				print_expr(out, s->version);
			}
			if (s->explain_mode)
				appendStringInfoString(out, s->explain_mode == 2 ? " EXPLAIN FULL" : " EXPLAIN");
			break;
		case SS_CREATE:
			appendStringInfoString(out, s->only ? "CREATE ONLY " : "CREATE ");
			print_list(out, s->from, s->nfrom);
			print_data(out, s);
			print_return(out, s);
			break;
		case SS_INSERT:
			appendStringInfoString(out, "INSERT ");
			if (s->ignore)
				appendStringInfoString(out, "IGNORE ");
			if (s->relation)
				appendStringInfoString(out, "RELATION ");
			if (s->name)
			{
				appendStringInfoString(out, "INTO ");
				print_name(out, s->name);
				appendStringInfoChar(out, ' ');
			}
			print_expr(out, s->content);
			if (s->data == SD_SET)
			{
				/* ON DUPLICATE KEY UPDATE, written as SET */
				StringInfoData set;

				initStringInfo(&set);
				print_data(&set, s);
				appendStringInfo(out, " ON DUPLICATE KEY UPDATE%s", set.data + 4);
				pfree(set.data);
			}
			print_return(out, s);
			break;
		case SS_UPDATE:
		case SS_UPSERT:
		case SS_DELETE:
			appendStringInfoString(out, s->kind == SS_UPDATE ? "UPDATE " :
								   s->kind == SS_UPSERT ? "UPSERT " : "DELETE ");
			if (s->only)
				appendStringInfoString(out, "ONLY ");
			print_list(out, s->from, s->nfrom);
			print_data(out, s);
			if (s->where)
			{
				appendStringInfoString(out, " WHERE ");
				print_expr(out, s->where);
			}
			print_return(out, s);
			break;
		case SS_RELATE:
			appendStringInfoString(out, s->only ? "RELATE ONLY " : "RELATE ");
			print_expr(out, s->rel_from);
			appendStringInfoString(out, "->");
			if (s->rel_id)
				print_expr(out, s->rel_id);
			else
				print_name(out, s->rel_edge);
			appendStringInfoString(out, "->");
			print_expr(out, s->rel_to);
			print_data(out, s);
			print_return(out, s);
			break;
		case SS_LET:
			appendStringInfo(out, "LET $%s = ", s->name);
			print_expr(out, s->expr);
			break;
		case SS_RETURN:
			appendStringInfoString(out, "RETURN ");
			print_expr(out, s->expr);
			break;
		case SS_EXPR:
			print_expr(out, s->expr);
			break;
		case SS_THROW:
			{
				/*
				 * THROW is a statement only before a string, $param, number,
				 * {, [ or (: anything else in parentheses (THROW (L))
				 */
				StringInfoData e;

				initStringInfo(&e);
				print_expr(&e, s->expr);
				if (strchr("'\"${[(", e.data[0]) != NULL && e.data[0] != '\0')
					appendStringInfo(out, "THROW %s", e.data);
				else
					appendStringInfo(out, "THROW (%s)", e.data);
				pfree(e.data);
			}
			break;
		case SS_FOR:
			appendStringInfo(out, "FOR $%s IN ", s->name);
			print_expr(out, s->expr);
			if (s->where)
			{
				appendStringInfoString(out, s->value ? "..=" : "..");
				print_expr(out, s->where);
			}
			print_block(out, s->body, s->nbody);
			break;
		case SS_SLEEP:
			appendStringInfoString(out, "SLEEP ");
			print_expr(out, s->expr);
			break;
		case SS_BREAK:
			appendStringInfoString(out, "BREAK");
			break;
		case SS_CONTINUE:
			appendStringInfoString(out, "CONTINUE");
			break;
		case SS_IF:
			appendStringInfoString(out, "IF ");
			print_expr(out, s->where);
			print_block(out, s->body, s->nbody);
			if (s->has_else)
			{
				appendStringInfoString(out, " ELSE");
				print_block(out, s->else_body, s->nelse);
			}
			break;
		case SS_BEGIN:
			appendStringInfoString(out, "BEGIN TRANSACTION");
			break;
		case SS_COMMIT:
			appendStringInfoString(out, "COMMIT TRANSACTION");
			break;
		case SS_CANCEL:
			appendStringInfoString(out, "CANCEL TRANSACTION");
			break;
		case SS_DEFINE_TABLE:
			appendStringInfoString(out, "DEFINE TABLE ");
			print_define_mode(out, s);
			print_name(out, s->name);
			if (s->schema != SCHEMA_DEFAULT)
				appendStringInfoString(out, s->schema == SCHEMA_FULL ? " SCHEMAFULL" : " SCHEMALESS");
			if (s->table_type != TABLE_TYPE_DEFAULT)
				appendStringInfoString(out, s->table_type == TABLE_TYPE_RELATION ? " TYPE RELATION" :
									   s->table_type == TABLE_TYPE_NORMAL ? " TYPE NORMAL" : " TYPE ANY");
			for (i = 0; i < s->nrel_in; i++)
			{
				appendStringInfoString(out, i ? " | " : " IN ");
				print_name(out, s->rel_in[i]);
			}
			for (i = 0; i < s->nrel_out; i++)
			{
				appendStringInfoString(out, i ? " | " : " OUT ");
				print_name(out, s->rel_out[i]);
			}
			if (s->enforced)
				appendStringInfoString(out, " ENFORCED");
			if (s->changefeed)
				appendStringInfo(out, " CHANGEFEED %s%s", s->changefeed,
								 s->include_original ? " INCLUDE ORIGINAL" : "");
			if (s->view)
			{
				appendStringInfoString(out, " AS ");
				print_stmt(out, s->view);
			}
			print_define_tail(out, s);
			break;
		case SS_DEFINE_FIELD:
		case SS_REMOVE_FIELD:
			appendStringInfoString(out, s->kind == SS_DEFINE_FIELD ? "DEFINE FIELD " : "REMOVE FIELD ");
			print_define_mode(out, s);
			print_field_name(out, s->field);
			appendStringInfoString(out, " ON ");
			print_name(out, s->name);
			if (s->ftype)
				appendStringInfo(out, " TYPE %s", s->ftype);
			if (s->flexible)
				appendStringInfoString(out, " FLEXIBLE");
			if (s->expr)
			{
				appendStringInfoString(out, s->default_always ? " DEFAULT ALWAYS " : " DEFAULT ");
				print_expr(out, s->expr);
			}
			if (s->value_expr)
			{
				appendStringInfoString(out, s->computed ? " COMPUTED " : " VALUE ");
				print_expr(out, s->value_expr);
			}
			if (s->readonly)
				appendStringInfoString(out, " READONLY");
			if (s->where)
			{
				appendStringInfoString(out, " ASSERT ");
				print_expr(out, s->where);
			}
			if (s->has_reference)
				appendStringInfoString(out, " REFERENCE");
			print_define_tail(out, s);
			break;
		case SS_DEFINE_INDEX:
		case SS_REMOVE_INDEX:
			appendStringInfoString(out, s->kind == SS_DEFINE_INDEX ? "DEFINE INDEX " : "REMOVE INDEX ");
			print_define_mode(out, s);
			print_name(out, s->field);
			appendStringInfoString(out, " ON ");
			print_name(out, s->name);
			if (s->kind == SS_REMOVE_INDEX)
				break;
			print_index_fields(out, s);
			if (s->index_kind == INDEX_UNIQUE)
				appendStringInfoString(out, " UNIQUE");
			else if (s->index_kind == INDEX_SEARCH)
			{
				appendStringInfoString(out, " SEARCH ANALYZER ");
				print_name(out, s->analyzer);
				appendStringInfoString(out, " BM25");
			}
			else if (s->index_kind == INDEX_HNSW)
			{
				appendStringInfo(out, " HNSW DIMENSION " INT64_FORMAT, s->dimension);
				if (s->dist)
					appendStringInfo(out, " DIST %s", dllb_surql_keyword_name((SurqlKeyword) s->dist));
				if (s->efc)
					appendStringInfo(out, " EFC " INT64_FORMAT, s->efc);
				if (s->hnsw_m)
					appendStringInfo(out, " M " INT64_FORMAT, s->hnsw_m);
			}
			print_define_tail(out, s);
			break;
		case SS_DEFINE_ANALYZER:
			appendStringInfoString(out, "DEFINE ANALYZER ");
			print_define_mode(out, s);
			print_name(out, s->name);
			for (i = 0; i < s->ntokenizers; i++)
				appendStringInfo(out, "%s%s", i ? ", " : " TOKENIZERS ", s->tokenizers[i]);
			for (i = 0; i < s->nfilters; i++)
				appendStringInfo(out, "%s%s", i ? ", " : " FILTERS ", s->filters[i]);
			print_define_tail(out, s);
			break;
		case SS_REMOVE_ANALYZER:
			appendStringInfoString(out, "REMOVE ANALYZER ");
			print_define_mode(out, s);
			print_name(out, s->name);
			break;
		case SS_REMOVE_TABLE:
			appendStringInfoString(out, "REMOVE TABLE ");
			print_define_mode(out, s);
			print_name(out, s->name);
			break;
		case SS_KILL:
			appendStringInfoString(out, "KILL ");
			print_expr(out, s->expr);
			break;
		case SS_DEFINE_EVENT:
		case SS_REMOVE_EVENT:
			appendStringInfoString(out, s->kind == SS_DEFINE_EVENT ? "DEFINE EVENT " : "REMOVE EVENT ");
			print_name(out, s->field);
			appendStringInfoString(out, " ON ");
			print_name(out, s->name);
			if (s->kind == SS_REMOVE_EVENT)
				break;
			if (s->where)
			{
				appendStringInfoString(out, " WHEN ");
				print_expr(out, s->where);
			}
			appendStringInfoString(out, " THEN");
			print_block(out, s->body, s->nbody);
			break;
		case SS_SHOW_CHANGES:
			appendStringInfoString(out, "SHOW CHANGES FOR TABLE ");
			print_name(out, s->name);
			appendStringInfoString(out, " SINCE ");
			print_expr(out, s->expr);
			if (s->limit)
			{
				appendStringInfoString(out, " LIMIT ");
				print_expr(out, s->limit);
			}
			break;
		case SS_DEFINE_FUNCTION:
			appendStringInfoString(out, "DEFINE FUNCTION ");
			print_define_mode(out, s);
			print_function_head(out, s);
			print_block(out, s->body, s->nbody);
			print_comment(out, s);
			print_one_permission(out, s, SURQL_PERM_DEFAULT);
			break;
		case SS_REMOVE_FUNCTION:
			appendStringInfoString(out, "REMOVE FUNCTION ");
			print_define_mode(out, s);
			appendStringInfo(out, "fn::%s", s->name);
			break;
		case SS_DEFINE_PARAM:
			appendStringInfoString(out, "DEFINE PARAM ");
			print_define_mode(out, s);
			appendStringInfo(out, "$%s VALUE ", s->name);
			print_expr(out, s->expr);
			print_comment(out, s);
			print_one_permission(out, s, SURQL_PERM_DEFAULT);
			break;
		case SS_REMOVE_PARAM:
			appendStringInfoString(out, "REMOVE PARAM ");
			print_define_mode(out, s);
			appendStringInfo(out, "$%s", s->name);
			break;
		case SS_INFO:
			if (s->name)
			{
				appendStringInfoString(out, "INFO FOR TABLE ");
				print_name(out, s->name);
			}
			else
				appendStringInfoString(out, "INFO FOR DB");
			break;
	}
}

/* dllb_surql_print_expr - the canonical text of one expression */
void
dllb_surql_print_expr(StringInfo out, const SurqlNode *n)
{
	print_expr(out, n);
}

/* a field type as SurrealQL displays it: lower case, " | " between alternatives */
static void
print_type(StringInfo out, const char *t)
{
	for (; *t; t++)
	{
		if (*t == ' ')
			continue;
		if (pg_strncasecmp(t, "<any>", 5) == 0 &&
			((out->len >= 5 && pg_strncasecmp(out->data + out->len - 5, "array", 5) == 0) ||
			 (out->len >= 3 && pg_strncasecmp(out->data + out->len - 3, "set", 3) == 0)))
		{
			/* array<any> is array, as SurrealDB shows it */
			t += 4;
			continue;
		}
		if (*t == '|')
			appendStringInfoString(out, " | ");
		else
			appendStringInfoChar(out, *t);
	}
}

/*
 * print_permissions - PERMISSIONS as SurrealDB shows them: FULL or NONE
 * when every action (select, create, update, and delete for a table) has
 * it, else FOR groups of the actions with the same permission, in that
 * order; an action not given has dflt
 */
static void
print_permissions(StringInfo out, const SurqlStmt *s, int nactions, int dflt)
{
	static const char *const actions[] = {"select", "create", "update", "delete"};
	int			kind[4];
	bool		done[4] = {false, false, false, false};
	bool		same = true;
	int			i;
	int			j;
	bool		first = true;

	for (i = 0; i < nactions; i++)
	{
		kind[i] = s->perm_kind[i] ? s->perm_kind[i] : dflt;
		if (kind[i] != kind[0] || kind[i] == SURQL_PERM_WHERE)
			same = false;
	}
	appendStringInfoString(out, " PERMISSIONS");
	if (same)
	{
		appendStringInfoString(out, kind[0] == SURQL_PERM_NONE ? " NONE" : " FULL");
		return;
	}
	for (i = 0; i < nactions; i++)
	{
		if (done[i])
			continue;
		appendStringInfoString(out, first ? " FOR " : ", FOR ");
		first = false;
		for (j = i; j < nactions; j++)
			if (!done[j] && kind[j] == kind[i] &&
				(kind[i] != SURQL_PERM_WHERE || s->perm_where[j] == s->perm_where[i]))
			{
				appendStringInfo(out, "%s%s", j > i ? ", " : "", actions[j]);
				done[j] = true;
			}
		if (kind[i] == SURQL_PERM_WHERE)
		{
			appendStringInfoString(out, " WHERE ");
			print_expr(out, s->perm_where[i]);
		}
		else
			appendStringInfoString(out, kind[i] == SURQL_PERM_NONE ? " NONE" : " FULL");
	}
}

/*
 * dllb_surql_print_definition - a DEFINE TABLE, FIELD, INDEX, FUNCTION or
 * PARAM statement as SurrealDB's INFO FOR shows it: every clause in its
 * order, defaults written out (TYPE ANY, SCHEMALESS, PERMISSIONS NONE of a
 * table and FULL of a field, a function or a param), expressions in
 * display style, a function's body as { a; b } ({;} when empty).
 * Permissions show as written; dllb does not enforce them.
 */
void
dllb_surql_print_definition(StringInfo out, const SurqlStmt *s)
{
	int			i;

	display_style = true;
	switch (s->kind)
	{
		case SS_DEFINE_TABLE:
			appendStringInfoString(out, "DEFINE TABLE ");
			print_name(out, s->name);
			/* (a SCHEMAFULL table is NORMAL unless it says otherwise) */
			appendStringInfoString(out, s->table_type == TABLE_TYPE_RELATION ? " TYPE RELATION" :
								   s->table_type == TABLE_TYPE_NORMAL ||
								   (s->table_type == TABLE_TYPE_DEFAULT && s->schema == SCHEMA_FULL) ?
								   " TYPE NORMAL" : " TYPE ANY");
			for (i = 0; i < s->nrel_in; i++)
			{
				appendStringInfoString(out, i ? " | " : " IN ");
				print_name(out, s->rel_in[i]);
			}
			for (i = 0; i < s->nrel_out; i++)
			{
				appendStringInfoString(out, i ? " | " : " OUT ");
				print_name(out, s->rel_out[i]);
			}
			if (s->enforced)
				appendStringInfoString(out, " ENFORCED");
			appendStringInfoString(out, s->schema == SCHEMA_FULL ? " SCHEMAFULL" : " SCHEMALESS");
			if (s->view)
			{
				appendStringInfoString(out, " AS ");
				print_stmt(out, s->view);
			}
			print_comment(out, s);
			if (s->changefeed)
				appendStringInfo(out, " CHANGEFEED %s%s", s->changefeed,
								 s->include_original ? " INCLUDE ORIGINAL" : "");
			print_permissions(out, s, 4, SURQL_PERM_NONE);
			break;
		case SS_DEFINE_FIELD:
			appendStringInfoString(out, "DEFINE FIELD ");
			print_field_name(out, s->field);
			appendStringInfoString(out, " ON ");
			print_name(out, s->name);
			if (s->ftype)
			{
				appendStringInfoString(out, " TYPE ");
				print_type(out, s->ftype);
			}
			if (s->flexible)
				appendStringInfoString(out, " FLEXIBLE");
			if (s->expr)
			{
				appendStringInfoString(out, s->default_always ? " DEFAULT ALWAYS " : " DEFAULT ");
				print_expr(out, s->expr);
			}
			if (s->readonly)
				appendStringInfoString(out, " READONLY");
			if (s->value_expr)
			{
				appendStringInfoString(out, s->computed ? " COMPUTED " : " VALUE ");
				print_expr(out, s->value_expr);
			}
			if (s->where)
			{
				appendStringInfoString(out, " ASSERT ");
				print_expr(out, s->where);
			}
			if (s->has_reference)
				appendStringInfoString(out, " REFERENCE");
			print_comment(out, s);
			print_permissions(out, s, 3, SURQL_PERM_FULL);
			break;
		case SS_DEFINE_INDEX:
			appendStringInfoString(out, "DEFINE INDEX ");
			print_name(out, s->field);
			appendStringInfoString(out, " ON ");
			print_name(out, s->name);
			print_index_fields(out, s);
			if (s->index_kind == INDEX_UNIQUE)
				appendStringInfoString(out, " UNIQUE");
			else if (s->index_kind == INDEX_SEARCH)
			{
				appendStringInfoString(out, " FULLTEXT ANALYZER ");
				print_name(out, s->analyzer);
				appendStringInfoString(out, " BM25(1.2,0.75)");
			}
			else if (s->index_kind == INDEX_HNSW)
			{
				int64		m = s->hnsw_m ? s->hnsw_m : 12;

				appendStringInfo(out, " HNSW DIMENSION " INT64_FORMAT " DIST %s TYPE F32 EFC "
								 INT64_FORMAT " M " INT64_FORMAT " M0 " INT64_FORMAT " LM %.17gf",
								 s->dimension,
								 s->dist ? dllb_surql_keyword_name((SurqlKeyword) s->dist) : "EUCLIDEAN",
								 s->efc ? s->efc : 150, m, m * 2, 1.0 / log((double) m));
			}
			print_comment(out, s);
			break;
		case SS_DEFINE_FUNCTION:
			/* as SurrealDB shows it: { a; b }, {;} when empty */
			appendStringInfoString(out, "DEFINE FUNCTION ");
			print_function_head(out, s);
			appendStringInfoString(out, " {");
			for (i = 0; i < s->nbody; i++)
			{
				appendStringInfoString(out, i ? "; " : " ");
				print_stmt(out, s->body[i]);
			}
			appendStringInfoString(out, s->nbody ? " }" : ";}");
			print_comment(out, s);
			print_one_permission(out, s, SURQL_PERM_FULL);
			break;
		case SS_DEFINE_PARAM:
			appendStringInfo(out, "DEFINE PARAM $%s VALUE ", s->name);
			print_expr(out, s->expr);
			print_comment(out, s);
			print_one_permission(out, s, SURQL_PERM_FULL);
			break;
		default:
			print_stmt(out, s);
			break;
	}
	display_style = false;
}

/* dllb_surql_print_expr_display - an expression as SurrealQL displays it */
void
dllb_surql_print_expr_display(StringInfo out, const SurqlNode *n)
{
	display_style = true;
	print_expr(out, n);
	display_style = false;
}

/* dllb_surql_print_stmt - the canonical text of one statement, without ; */
void
dllb_surql_print_stmt(StringInfo out, const SurqlStmt *s)
{
	/* each entry point sets the style: an error may have left it set */
	display_style = false;
	print_stmt(out, s);
}

/*
 * dllb_surql_print - the canonical text of all statements, one a line,
 * each ended by ;.
 */
char *
dllb_surql_print(const SurqlParse *res)
{
	StringInfoData out;
	int			i;

	initStringInfo(&out);
	display_style = false;		/* (as in dllb_surql_print_stmt) */
	for (i = 0; i < res->nstmts; i++)
	{
		print_stmt(&out, res->stmts[i]);
		appendStringInfoString(&out, ";\n");
	}
	return out.data;
}
