/*-------------------------------------------------------------------------
 *
 * ast.h
 *	  The dialect's syntax tree, as the parser builds it.
 *
 * Expressions are SurqlNode trees; statements are SurqlStmt.  Everything
 * of one parse lives in one arena that dllb_surql_parse_free releases.
 * The parser (parser.c) and the printer (print.c) are pure functions, so
 * the fuzz target builds them frontend-style; dllb.surql_parse shows the
 * printer's canonical text.
 *
 * IDENTIFICATION
 *	  src/surql/ast.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_SURQL_AST_H
#define DLLB_SURQL_AST_H

#include "surql/lexer.h"

#include "lib/stringinfo.h"

typedef enum SurqlNodeKind
{
	SN_NULL,
	SN_NONE,
	SN_BOOL,					/* ival 0 or 1 */
	SN_INT,						/* ival */
	SN_FLOAT,					/* str: the literal as written */
	SN_STRING,					/* str; flag: written u'...' (a uuid) */
	SN_DATETIME,				/* str: inside d'...' */
	SN_PARAM,					/* str: name without $; keys: a field path
								 * after it ($after.email), nitems keys */
	SN_RECORD,					/* str: table; key: SN_INT, SN_STRING, SN_OBJECT or
								 * SN_ARRAY (of expressions; an SN_RANGE without
								 * ends is a bare .., the greatest value); flag: a
								 * range key..b (key, b NULL: open; ival 1: ..=) */
	SN_ARRAY,					/* items */
	SN_OBJECT,					/* keys, items */
	SN_FIELD,					/* keys: the path a.b.c */
	SN_ALL,						/* * */
	SN_UNARY,					/* op (TK_MINUS or KW_NOT), a */
	SN_BINARY,					/* op: a token kind or a keyword, a, b */
	SN_IS_NONE,					/* a IS [NOT] NONE; ival 1 when NOT, flag: NULL */
	SN_MATCH,					/* a @ival[,OR]@ b; flag: OR */
	SN_KNN,						/* a <|ival,ef|> b; ef in ival2, or metric in op */
	SN_CALL,					/* str: name (with ::), items: arguments (op 1: a
								 * constant, math::pi, no parentheses); flag: a
								 * method call v.name(...), items[0] is v */
	SN_SUBQUERY,				/* stmt */
	SN_GRAPH,					/* a: start (or NULL: the current row), items: steps,
								 * b: SN_FIELD after the last step (or NULL) */
	SN_STEP,					/* op: arrow token; str: table or "?"; a: WHERE */
	SN_DURATION,				/* str: 1h30m, as written */
	SN_CAST,					/* <str> a: str the type as written (int, record<t>) */
	SN_CLOSURE,					/* |$p, ...| a: items the SN_PARAMs */
	SN_DESTRUCTURE,				/* a.{keys}: a's fields keys (an object, or one per element) */
	SN_RECURSE,					/* start.{ival..ival2+op}: the start of an SN_GRAPH
								 * whose steps repeat; a: start (NULL: the current
								 * row), ival: min depth, ival2: max depth (0: no
								 * bound), op: SURQL_RECURSE_*, key: the target of
								 * +shortest */
	SN_RANGE,					/* a..b: a start, b end (NULL: open), ival 1: ..=,
								 * flag: a>..b (a left out) */
	SN_REGEX,					/* /str/: str the pattern */
	SN_SET,						/* {a, b, ...}: items (a set: distinct, ordered) */
	SN_IF						/* IF a { b } ELSE { key } as a value: a the
								 * condition, b and key (NULL: NONE) the values */
} SurqlNodeKind;

#define SURQL_RECURSE_MAX 256	/* the deepest a recursion may go */

/* operators written as words, beside -KW_x (SURQL_OP_NOT_IN is 10000) */
#define SURQL_OP_ALLINSIDE 10001
#define SURQL_OP_ANYINSIDE 10002
#define SURQL_OP_NONEINSIDE 10003
#define SURQL_OP_CONTAINSNONE 10004
#define SURQL_OP_ALLEQUAL 10006	/* a *= b: every element of a equals b */
#define SURQL_OP_ANYEQUAL 10007	/* a ?= b: some element of a equals b */
#define SURQL_OP_INDEX 10005	/* a[b] */

/* PERMISSIONS of one action (kept only to show them in INFO FOR) */
#define SURQL_PERM_DEFAULT 0
#define SURQL_PERM_FULL 1
#define SURQL_PERM_NONE 2
#define SURQL_PERM_WHERE 3

/* ORDER BY e COLLATE / NUMERIC */
#define SURQL_ORDER_COLLATE 1
#define SURQL_ORDER_NUMERIC 2

typedef enum SurqlRecurseMode
{
	SURQL_RECURSE_LAST,			/* the records of the last level reached */
	SURQL_RECURSE_COLLECT,		/* +collect: every record reached */
	SURQL_RECURSE_PATH,			/* +path: every path */
	SURQL_RECURSE_SHORTEST		/* +shortest=target: one shortest path */
} SurqlRecurseMode;

typedef struct SurqlStmt SurqlStmt;

typedef struct SurqlNode
{
	SurqlNodeKind kind;
	int			op;
	bool		flag;
	int64		ival;
	int64		ival2;
	char	   *str;
	struct SurqlNode *key;
	struct SurqlNode *a;
	struct SurqlNode *b;
	struct SurqlNode **items;
	char	  **keys;
	int			nitems;
	SurqlStmt  *stmt;
	int			offset;			/* where it starts in the source */
} SurqlNode;

typedef enum SurqlStmtKind
{
	SS_SELECT,
	SS_CREATE,
	SS_INSERT,
	SS_UPDATE,
	SS_UPSERT,
	SS_DELETE,
	SS_RELATE,
	SS_LET,
	SS_RETURN,
	SS_BEGIN,
	SS_COMMIT,
	SS_CANCEL,
	SS_DEFINE_TABLE,			/* name, schema, table_type */
	SS_DEFINE_FIELD,			/* field ON name [TYPE ftype] [DEFAULT expr] [ASSERT where] */
	SS_REMOVE_TABLE,			/* name */
	SS_REMOVE_FIELD,			/* field ON name */
	SS_DEFINE_INDEX,			/* field (the index) ON name FIELDS fields ... */
	SS_REMOVE_INDEX,			/* field (the index) ON name */
	SS_INFO,					/* INFO FOR TABLE name, or FOR DB (name NULL) */
	SS_DEFINE_ANALYZER,			/* name [TOKENIZERS tokenizers] [FILTERS filters] */
	SS_REMOVE_ANALYZER,			/* name */
	SS_IF,						/* IF where { body } [ELSE { else_body }]; a block
								 * { body } is IF TRUE { body } */
	SS_EXPR,					/* a bare expression statement: expr */
	SS_THROW,					/* THROW expr */
	SS_LIVE,					/* LIVE SELECT [DIFF] ...: a SELECT, diff */
	SS_KILL,					/* KILL expr */
	SS_DEFINE_EVENT,			/* field (the event) ON name [WHEN where] THEN body */
	SS_REMOVE_EVENT,			/* field (the event) ON name */
	SS_SHOW_CHANGES,			/* SHOW CHANGES FOR TABLE name SINCE expr [LIMIT limit] */
	SS_FOR,						/* FOR $name IN expr { body }; a range expr..where
								 * (value: ..=, the end included) */
	SS_SLEEP,					/* SLEEP expr: expr an SN_DURATION */
	SS_BREAK,					/* BREAK (in FOR) */
	SS_CONTINUE,				/* CONTINUE (in FOR) */
	SS_DEFINE_FUNCTION,			/* fn::name (name without fn::, case kept)
								 * (arg_names: arg_types, ...) [-> ftype] {
								 * body }, perm_kind[0] and perm_where[0] */
	SS_REMOVE_FUNCTION,			/* fn::name */
	SS_DEFINE_PARAM,			/* $name VALUE expr, perm_kind[0], perm_where[0] */
	SS_REMOVE_PARAM				/* $name */
} SurqlStmtKind;

typedef enum SurqlSchema
{
	SCHEMA_DEFAULT,
	SCHEMA_FULL,
	SCHEMA_LESS
} SurqlSchema;

typedef enum SurqlIndexKind
{
	INDEX_PLAIN,
	INDEX_UNIQUE,
	INDEX_SEARCH,				/* SEARCH ANALYZER analyzer BM25 */
	INDEX_HNSW					/* HNSW DIMENSION dimension [DIST dist] */
} SurqlIndexKind;

typedef enum SurqlTableType
{
	TABLE_TYPE_DEFAULT,
	TABLE_TYPE_NORMAL,
	TABLE_TYPE_RELATION,
	TABLE_TYPE_ANY
} SurqlTableType;

typedef enum SurqlData
{
	SD_NONE,
	SD_SET,
	SD_CONTENT,
	SD_MERGE
} SurqlData;

typedef enum SurqlReturn
{
	SR_DEFAULT,
	SR_NONE,
	SR_BEFORE,
	SR_AFTER,
	SR_DIFF,
	SR_FIELDS,					/* RETURN f [AS a], ...: ret_fields, ret_aliases */
	SR_VALUE					/* RETURN VALUE e (and RETURN NULL): ret_fields[0] */
} SurqlReturn;

struct SurqlStmt
{
	SurqlStmtKind kind;
	int			offset;

	/* SELECT (and LIVE SELECT) */
	bool		value;			/* SELECT VALUE */
	bool		diff;			/* LIVE SELECT DIFF */
	SurqlNode **fields;
	char	  **aliases;		/* NULL where none */
	int			nfields;
	SurqlNode **from;			/* also the targets of CREATE/UPDATE/DELETE */
	int			nfrom;
	SurqlNode  *where;
	SurqlNode **order;
	bool	   *desc;
	int		   *order_mode;		/* SURQL_ORDER_COLLATE | SURQL_ORDER_NUMERIC */
	int			norder;
	SurqlNode  *limit;
	SurqlNode  *start;
	bool		group_all;
	SurqlNode **group;
	int			ngroup;
	SurqlNode **fetch;
	int			nfetch;
	SurqlNode **split;			/* SPLIT f, ... */
	int			nsplit;
	SurqlNode  *version;		/* VERSION e (refused when run) */
	int			explain_mode;	/* EXPLAIN: 1, EXPLAIN FULL: 2 (refused when run) */

	/* writes */
	SurqlData	data;
	SurqlNode **set_fields;		/* SN_FIELD; op TK_PLUS for +=, TK_MINUS for -= */
	SurqlNode **set_values;
	int			nset;
	SurqlNode  *content;		/* CONTENT / MERGE object, INSERT's value */
	SurqlReturn ret;
	SurqlNode **ret_fields;		/* SR_FIELDS, SR_VALUE */
	char	  **ret_aliases;
	int			nret;
	bool		only;			/* ONLY: one record, not an array */
	bool		ignore;			/* INSERT IGNORE (its ON DUPLICATE KEY UPDATE
								 * in set_fields, data SD_SET) */
	bool		relation;		/* INSERT RELATION */
	SurqlNode **omit;			/* SELECT ... OMIT f, ... */
	int			nomit;
	SurqlNode  *rel_from;		/* RELATE a->edge->b */
	char	   *rel_edge;
	SurqlNode  *rel_id;			/* RELATE a->edge:key->b: SN_RECORD edge:key */
	SurqlNode  *rel_to;

	/* LET $name = value; RETURN value */
	char	   *name;
	SurqlNode  *expr;

	/* DEFINE, REMOVE, INFO: the table in name */
	char	   *field;
	char	   *ftype;			/* a type as written: string, record<t>, vector<3> */
	SurqlSchema schema;
	SurqlTableType table_type;
	char	   *changefeed;		/* DEFINE TABLE ... CHANGEFEED: a duration (1h30m) */
	bool		include_original;	/* ... INCLUDE ORIGINAL */
	SurqlIndexKind index_kind;	/* DEFINE INDEX; its fields in fields */
	char	   *analyzer;
	int64		dimension;
	int			dist;			/* a keyword, 0 when not given */
	char	  **tokenizers;		/* DEFINE ANALYZER: lowercased words */
	int			ntokenizers;
	char	  **filters;		/* lowercased, name or name(arg,arg) */
	int			nfilters;
	bool		if_not_exists;	/* DEFINE ... IF NOT EXISTS, REMOVE ... IF EXISTS */
	bool		overwrite;		/* DEFINE ... OVERWRITE */
	SurqlNode  *value_expr;		/* DEFINE FIELD ... VALUE e (COMPUTED e: computed) */
	bool		computed;
	bool		readonly;
	bool		flexible;
	bool		default_always;
	bool		has_permissions;	/* PERMISSIONS other than FULL were written */
	int			perm_kind[4];	/* select, create, update, delete: SURQL_PERM_* */
	SurqlNode  *perm_where[4];	/* the condition of SURQL_PERM_WHERE */
	bool		has_reference;	/* DEFINE FIELD ... REFERENCE */
	char	   *comment;
	char	  **rel_in;			/* DEFINE TABLE ... TYPE RELATION IN a | b OUT c */
	int			nrel_in;
	char	  **rel_out;
	int			nrel_out;
	bool		enforced;
	SurqlStmt  *view;			/* DEFINE TABLE ... AS SELECT ... */
	char	  **arg_names;		/* DEFINE FUNCTION: its arguments (without $) */
	char	  **arg_types;		/* and their types as written (NULL: none) */
	int			nargs;
	int64		efc;			/* HNSW EFC n, M n (0: not given) */
	int64		hnsw_m;

	/* IF where THEN body [ELSE else_body] END (ELSE IF: one SS_IF in else_body) */
	SurqlStmt **body;
	int			nbody;
	SurqlStmt **else_body;
	int			nelse;
	bool		has_else;
};

typedef struct SurqlArenaBlock SurqlArenaBlock;

typedef struct SurqlParse
{
	SurqlStmt **stmts;
	int			nstmts;
	/* on a syntax error */
	bool		failed;
	char	   *message;		/* "expected X, found Y" */
	int			err_offset;
	int			err_line;
	int			err_column;
	SurqlArenaBlock *arena;
	SurqlLexResult lex;
} SurqlParse;

extern void dllb_surql_parse(const char *in, int len, SurqlParse *res);
extern void dllb_surql_parse_free(SurqlParse *res);
extern char *dllb_surql_print(const SurqlParse *res);	/* palloc'd */
extern void dllb_surql_print_expr(StringInfo out, const SurqlNode *n);
extern void dllb_surql_print_stmt(StringInfo out, const SurqlStmt *s);
extern void dllb_surql_print_definition(StringInfo out, const SurqlStmt *s);
extern void dllb_surql_print_expr_display(StringInfo out, const SurqlNode *n);

#endif							/* DLLB_SURQL_AST_H */
