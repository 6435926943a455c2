/*-------------------------------------------------------------------------
 *
 * extract_c.c
 *	  dllb-extract-c: C declarations, calls, includes and type references
 *	  of source files, through libclang's C API, as a record stream
 *	  (records.h) on standard output.
 *
 *	  dllb-extract-c --root DIR [--compdb DIR] [--single-file] [-- CLANG_ARGS...]
 *
 * Reads relative paths (one a line) on standard input and parses each file
 * under DIR as its own translation unit (a header as c-header), so a file's
 * records depend only on the file and its flags: a re-run after an edit
 * re-extracts exactly the edited files.  Flags come from DIR's (or
 * --compdb's) compile_commands.json when it names the file, else the
 * CLANG_ARGS the caller gives (dllb-index-code passes -I for the tree's
 * include folders).  --single-file parses without opening any #include
 * (clang's single-file parse mode): much faster, calls then resolve by
 * name only.
 *
 * Only declarations whose location is in the parsed file itself are
 * emitted.  Parse errors become D records and the file's declarations are
 * still emitted as far as clang recovered them; a file that cannot be read
 * or parsed at all gets an F record with errors = -1 and a D record saying
 * why.  Nothing stops the run but a write error.
 *
 * IDENTIFICATION
 *	  codeintel/extract_c.c
 *
 *-------------------------------------------------------------------------
 */
#include "records.h"
#include "sha256.h"

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* a file larger than this is not parsed (dllb-index-code checks it too) */
#define MAX_FILE_BYTES (16 * 1024 * 1024)
/* at most this many parse errors of one file are reported */
#define MAX_DIAGNOSTICS 20
/* at most this many characters of a signature */
#define MAX_SIGNATURE 1000

typedef struct Node
{
	int64_t		id;
	int64_t		parent;
	const char *kind;
	char	   *name;
	char	   *qname;
	unsigned	start_line;
	unsigned	end_line;
	unsigned	start_off;
	unsigned	end_off;
	unsigned	body_off;		/* offset of a function body's '{', or 0 */
	char	   *doc;
	char	   *usr;
	int			is_static;
	int			embed;			/* gets an embedding */
} Node;

typedef struct Ref
{
	int64_t		src;
	const char *kind;
	char	   *usr;
	char	   *name;
	unsigned	line;
} Ref;

typedef struct Include
{
	char	   *spelled;
	char	   *resolved;
	unsigned	line;
} Include;

typedef struct FileState
{
	const char *path;			/* relative to the root */
	const char *abspath;
	const char *content;
	size_t		size;
	CXFile		file;
	int64_t		file_id;
	Node	   *nodes;
	int			nnodes,
				cap_nodes;
	Ref		   *refs;
	int			nrefs,
				cap_refs;
	Include    *incs;
	int			nincs,
				cap_incs;
	/* ordinals of (kind, qname) already used: a small open hash */
	struct
	{
		char	   *key;
		int			count;
	}		   *seen;
	int			cap_seen;
} FileState;

static const char *root_dir;
static size_t root_len;

static char *
xstrdup(const char *s)
{
	char	   *r = strdup(s ? s : "");

	if (r == NULL)
	{
		fprintf(stderr, "dllb-extract-c: out of memory\n");
		exit(2);
	}
	return r;
}

static void *
grow(void *p, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	if (*cap < need)
		*cap = need;
	p = realloc(p, (size_t) *cap * elem);
	if (p == NULL)
	{
		fprintf(stderr, "dllb-extract-c: out of memory\n");
		exit(2);
	}
	return p;
}

static char *
cxdup(CXString s)
{
	char	   *r = xstrdup(clang_getCString(s));

	clang_disposeString(s);
	return r;
}

/* the next ordinal for (kind, qname) in this file: 0, 1, 2, ... */
static int
next_ordinal(FileState *fs, const char *kind, const char *qname)
{
	size_t		klen = strlen(kind),
				qlen = strlen(qname);
	char	   *key = malloc(klen + qlen + 2);
	uint32_t	h = 2166136261u;
	int			i,
				mask;

	memcpy(key, kind, klen);
	key[klen] = '\x01';
	memcpy(key + klen + 1, qname, qlen + 1);
	for (i = 0; key[i]; i++)
		h = (h ^ (unsigned char) key[i]) * 16777619u;
	if (fs->cap_seen == 0 || (fs->nnodes + 1) * 2 > fs->cap_seen)
	{
		/* rehash into a bigger table */
		int			old = fs->cap_seen,
					ncap = old ? old * 2 : 256,
					j;
		__typeof__(fs->seen) ns = calloc((size_t) ncap, sizeof(*ns));

		for (j = 0; j < old; j++)
		{
			if (fs->seen[j].key)
			{
				uint32_t	h2 = 2166136261u;
				int			k;

				for (k = 0; fs->seen[j].key[k]; k++)
					h2 = (h2 ^ (unsigned char) fs->seen[j].key[k]) * 16777619u;
				k = (int) (h2 & (uint32_t) (ncap - 1));
				while (ns[k].key)
					k = (k + 1) & (ncap - 1);
				ns[k] = fs->seen[j];
			}
		}
		free(fs->seen);
		fs->seen = ns;
		fs->cap_seen = ncap;
	}
	mask = fs->cap_seen - 1;
	i = (int) (h & (uint32_t) mask);
	while (fs->seen[i].key)
	{
		if (strcmp(fs->seen[i].key, key) == 0)
		{
			free(key);
			return fs->seen[i].count++;
		}
		i = (i + 1) & mask;
	}
	fs->seen[i].key = key;
	fs->seen[i].count = 1;
	return 0;
}

/* line and byte offset of a location in the parsed file; 0 when elsewhere */
static int
loc_in_file(FileState *fs, CXSourceLocation loc, unsigned *line, unsigned *off)
{
	CXFile		f;
	unsigned	l,
				c,
				o;

	clang_getExpansionLocation(loc, &f, &l, &c, &o);
	if (f == NULL || !clang_File_isEqual(f, fs->file))
		return 0;
	if (line)
		*line = l;
	if (off)
		*off = o;
	return 1;
}

static Node *
add_node(FileState *fs, CXCursor c, const char *kind, const char *name,
		 const char *qname, int64_t parent, int embed)
{
	Node	   *n;
	CXSourceRange ext = clang_getCursorExtent(c);
	unsigned	l1 = 0,
				o1 = 0,
				l2 = 0,
				o2 = 0;
	CXString	doc;

	if (!loc_in_file(fs, clang_getRangeStart(ext), &l1, &o1))
		loc_in_file(fs, clang_getCursorLocation(c), &l1, &o1);
	if (!loc_in_file(fs, clang_getRangeEnd(ext), &l2, &o2) || o2 < o1)
	{
		l2 = l1;
		o2 = o1;
	}
	if (o2 > fs->size)
		o2 = (unsigned) fs->size;
	fs->nodes = grow(fs->nodes, &fs->cap_nodes, fs->nnodes + 1, sizeof(Node));
	n = &fs->nodes[fs->nnodes++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->name = xstrdup(name);
	n->qname = xstrdup(qname);
	n->id = node_id(fs->path, kind, qname, next_ordinal(fs, kind, qname));
	n->parent = parent;
	n->start_line = l1;
	n->end_line = l2;
	n->start_off = o1;
	n->end_off = o2;
	n->usr = cxdup(clang_getCursorUSR(c));
	doc = clang_Cursor_getRawCommentText(c);
	n->doc = clang_getCString(doc) && *clang_getCString(doc) ? xstrdup(clang_getCString(doc)) : NULL;
	clang_disposeString(doc);
	/* a storage class only for declarations (a macro's cursor has none) */
	n->is_static = clang_isDeclaration(clang_getCursorKind(c)) &&
		clang_Cursor_getStorageClass(c) == CX_SC_Static;
	n->embed = embed;
	return n;
}

static void
add_ref(FileState *fs, int64_t src, const char *kind, CXCursor target, unsigned line)
{
	Ref		   *r;
	char	   *usr = cxdup(clang_getCursorUSR(target));

	if (*usr == '\0')
	{
		free(usr);
		return;
	}
	fs->refs = grow(fs->refs, &fs->cap_refs, fs->nrefs + 1, sizeof(Ref));
	r = &fs->refs[fs->nrefs++];
	r->src = src;
	r->kind = kind;
	r->usr = usr;
	r->name = cxdup(clang_getCursorSpelling(target));
	r->line = line;
}

/* the declaration a type names, through pointers, arrays and qualifiers */
static CXCursor
type_decl(CXType t)
{
	int			guard = 0;

	for (;;)
	{
		CXType		next;

		if (guard++ > 16)
			break;
		if (t.kind == CXType_Pointer || t.kind == CXType_BlockPointer)
			next = clang_getPointeeType(t);
		else if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
				 t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray)
			next = clang_getArrayElementType(t);
		else if (t.kind == CXType_Elaborated)
			next = clang_Type_getNamedType(t);
		else
			break;
		t = next;
	}
	return clang_getTypeDeclaration(t);
}

static void
ref_type(FileState *fs, int64_t src, CXType t, unsigned line)
{
	CXCursor	d = type_decl(t);
	enum CXCursorKind k = clang_getCursorKind(d);

	if (k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
		k == CXCursor_EnumDecl || k == CXCursor_TypedefDecl)
		add_ref(fs, src, "references_type", d, line);
}

typedef struct VisitCtx
{
	FileState  *fs;
	int64_t		owner;			/* node the found references belong to */
	const char *owner_qname;
} VisitCtx;

/* inside a function: calls and type references, attributed to the function */
static enum CXChildVisitResult
visit_body(CXCursor c, CXCursor parent, CXClientData data)
{
	VisitCtx   *ctx = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	unsigned	line = 0;

	(void) parent;
	if (k == CXCursor_CallExpr)
	{
		CXCursor	callee = clang_getCursorReferenced(c);

		if (!clang_Cursor_isNull(callee) &&
			clang_getCursorKind(callee) == CXCursor_FunctionDecl)
		{
			loc_in_file(ctx->fs, clang_getCursorLocation(c), &line, NULL);
			add_ref(ctx->fs, ctx->owner, "calls", callee, line);
		}
	}
	else if (k == CXCursor_TypeRef)
	{
		CXCursor	d = clang_getCursorReferenced(c);
		enum CXCursorKind dk = clang_getCursorKind(d);

		if (dk == CXCursor_StructDecl || dk == CXCursor_UnionDecl ||
			dk == CXCursor_EnumDecl || dk == CXCursor_TypedefDecl)
		{
			loc_in_file(ctx->fs, clang_getCursorLocation(c), &line, NULL);
			add_ref(ctx->fs, ctx->owner, "references_type", d, line);
		}
	}
	return CXChildVisit_Recurse;
}

static const char *
record_kind(enum CXCursorKind k)
{
	switch (k)
	{
		case CXCursor_StructDecl:
			return "struct";
		case CXCursor_UnionDecl:
			return "union";
		case CXCursor_EnumDecl:
			return "enum";
		default:
			return NULL;
	}
}

static char *
join_qname(const char *parent, const char *name)
{
	size_t		pl = parent ? strlen(parent) : 0;
	char	   *r;

	if (pl == 0)
		return xstrdup(name);
	r = malloc(pl + strlen(name) + 3);
	sprintf(r, "%s::%s", parent, name);
	return r;
}

static enum CXChildVisitResult visit_decl(CXCursor c, CXCursor parent, CXClientData data);

/* a struct, union or enum definition and its members */
static void
do_record(VisitCtx *ctx, CXCursor c, const char *kind)
{
	FileState  *fs = ctx->fs;
	char	   *name = cxdup(clang_getCursorSpelling(c));
	char	   *qname;
	Node	   *n;
	VisitCtx	inner;

	if (clang_Cursor_isAnonymous(c) || name[0] == '\0' || strchr(name, '('))
	{
		char	   *usr = cxdup(clang_getCursorUSR(c));

		free(name);
		name = NULL;
		/* typedef struct { ... } name_t: clang's USR names it c:@SA@name_t */
		if (strncmp(usr, "c:@SA@", 6) == 0 || strncmp(usr, "c:@UA@", 6) == 0 ||
			strncmp(usr, "c:@EA@", 6) == 0)
			name = xstrdup(usr + 6);
		free(usr);
		if (name == NULL || strchr(name, '@'))
		{
			/* anonymous: its members belong to the enclosing node */
			free(name);
			clang_visitChildren(c, visit_decl, ctx);
			return;
		}
	}
	qname = join_qname(ctx->owner_qname, name);
	n = add_node(fs, c, kind, name, qname, ctx->owner, 1);
	inner.fs = fs;
	inner.owner = n->id;
	inner.owner_qname = qname;
	clang_visitChildren(c, visit_decl, &inner);
	free(name);
	free(qname);
}

static enum CXChildVisitResult
visit_decl(CXCursor c, CXCursor parent, CXClientData data)
{
	VisitCtx   *ctx = data;
	FileState  *fs = ctx->fs;
	enum CXCursorKind k = clang_getCursorKind(c);
	const char *rk;
	unsigned	line = 0;

	(void) parent;
	if (!loc_in_file(fs, clang_getCursorLocation(c), &line, NULL))
		return CXChildVisit_Continue;

	if ((rk = record_kind(k)) != NULL)
	{
		if (clang_isCursorDefinition(c))
			do_record(ctx, c, rk);
		return CXChildVisit_Continue;
	}
	switch (k)
	{
		case CXCursor_FunctionDecl:
			{
				char	   *name = cxdup(clang_getCursorSpelling(c));
				int			def = clang_isCursorDefinition(c);
				Node	   *n = add_node(fs, c, def ? "function" : "function_declaration",
										 name, name, ctx->owner, def);
				VisitCtx	inner = {fs, n->id, n->qname};
				CXType		ft = clang_getCursorType(c);
				int			i,
							nargs = clang_getNumArgTypes(ft);

				ref_type(fs, n->id, clang_getResultType(ft), n->start_line);
				for (i = 0; i < nargs; i++)
					ref_type(fs, n->id, clang_getArgType(ft, (unsigned) i), n->start_line);
				if (def)
				{
					/* where the body starts: the signature ends there */
					n->body_off = 0;
					clang_visitChildren(c, visit_body, &inner);
				}
				free(name);
				return CXChildVisit_Continue;
			}
		case CXCursor_FieldDecl:
		case CXCursor_EnumConstantDecl:
			{
				char	   *name = cxdup(clang_getCursorSpelling(c));
				char	   *qname = join_qname(ctx->owner_qname, name);
				Node	   *n = add_node(fs, c, k == CXCursor_FieldDecl ? "field" : "enum_member",
										 name, qname, ctx->owner, 0);

				if (k == CXCursor_FieldDecl)
				{
					ref_type(fs, n->id, clang_getCursorType(c), n->start_line);
					/* a struct defined inside is a sibling cursor: not here */
				}
				free(name);
				free(qname);
				return CXChildVisit_Continue;
			}
		case CXCursor_TypedefDecl:
			{
				char	   *name = cxdup(clang_getCursorSpelling(c));
				Node	   *n = add_node(fs, c, "typedef", name, name, ctx->owner, 0);
				CXType		u = clang_getTypedefDeclUnderlyingType(c);

				ref_type(fs, n->id, u, n->start_line);
				/* typedef struct { ... } name: the struct is a sibling cursor */
				free(name);
				return CXChildVisit_Continue;
			}
		case CXCursor_VarDecl:
			{
				char	   *name;
				Node	   *n;

				/* only variables at file scope (not locals of a function) */
				if (clang_getCursorKind(clang_getCursorSemanticParent(c)) != CXCursor_TranslationUnit)
					return CXChildVisit_Continue;
				name = cxdup(clang_getCursorSpelling(c));
				n = add_node(fs, c, clang_isCursorDefinition(c) ? "variable" : "variable_declaration",
							 name, name, ctx->owner, 0);
				ref_type(fs, n->id, clang_getCursorType(c), n->start_line);
				free(name);
				return CXChildVisit_Continue;
			}
		case CXCursor_MacroDefinition:
			{
				char	   *name;

				if (clang_Cursor_isMacroBuiltin(c))
					return CXChildVisit_Continue;
				name = cxdup(clang_getCursorSpelling(c));
				add_node(fs, c, "macro", name, name, ctx->owner, 0);
				free(name);
				return CXChildVisit_Continue;
			}
		case CXCursor_InclusionDirective:
			{
				Include    *inc;
				CXFile		f = clang_getIncludedFile(c);

				fs->incs = grow(fs->incs, &fs->cap_incs, fs->nincs + 1, sizeof(Include));
				inc = &fs->incs[fs->nincs++];
				inc->spelled = cxdup(clang_getCursorSpelling(c));
				inc->resolved = NULL;
				inc->line = line;
				if (f)
				{
					char	   *p = cxdup(clang_File_tryGetRealPathName(f));

					if (*p == '\0')
					{
						free(p);
						p = cxdup(clang_getFileName(f));
					}
					inc->resolved = p;
				}
				return CXChildVisit_Continue;
			}
		default:
			return CXChildVisit_Continue;
	}
}

/* text of [from, to) of the file, as one COPY field */
static void
put_slice(Buf *b, FileState *fs, unsigned from, unsigned to)
{
	if (to > fs->size)
		to = (unsigned) fs->size;
	if (from >= to)
		buf_null(b);
	else
		buf_field(b, fs->content + from, to - from);
}

/* signature: the declaration's text up to its body, spaces collapsed */
static void
put_signature(Buf *b, FileState *fs, Node *n)
{
	unsigned	end = n->end_off;
	unsigned	i;
	Buf			sig = {0};
	int			space = 0;

	for (i = n->start_off; i < n->end_off && i < fs->size; i++)
	{
		if (fs->content[i] == '{')
		{
			end = i;
			break;
		}
	}
	for (i = n->start_off; i < end && i < fs->size && sig.len < MAX_SIGNATURE; i++)
	{
		char		ch = fs->content[i];

		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
		{
			space = sig.len > 0;
			continue;
		}
		if (space)
			buf_putc(&sig, ' ');
		space = 0;
		buf_putc(&sig, ch);
	}
	while (sig.len > 0 && sig.data[sig.len - 1] == ';')
		sig.len--;
	if (sig.len == 0)
		buf_null(b);
	else
		buf_field(b, sig.data, sig.len);
	free(sig.data);
}

/* the whole line range of a node's lines, for its source text */
static void
line_range(FileState *fs, Node *n, unsigned *from, unsigned *to)
{
	unsigned	a = n->start_off,
				z = n->end_off;

	while (a > 0 && fs->content[a - 1] != '\n')
		a--;
	while (z < fs->size && fs->content[z] != '\n')
		z++;
	*from = a;
	*to = z;
}

static int
cmp_ref(const void *a, const void *b)
{
	const Ref  *x = a,
			   *y = b;
	int			c;

	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	if ((c = strcmp(x->kind, y->kind)) != 0)
		return c;
	if ((c = strcmp(x->usr, y->usr)) != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

static void
emit_file(Buf *out, FileState *fs, const char *language, int errors)
{
	char		hash[65];
	int			i;

	sha256_hex(fs->content, fs->size, hash);
	buf_puts(out, "F\t");
	buf_field(out, fs->path, strlen(fs->path));
	buf_printf(out, "\t%s\t%s\t%zu\t%d\n", language, hash, fs->size, errors);

	/* the file's own node: its leading comment is its doc */
	{
		const char *base = strrchr(fs->path, '/');
		size_t		a = 0,
					z;
		unsigned	nlines = 1;

		for (z = 0; z < fs->size; z++)
			nlines += fs->content[z] == '\n';
		buf_printf(out, "N\t%lld\t\\N\tfile\t", (long long) fs->file_id);
		base = base ? base + 1 : fs->path;
		buf_field(out, base, strlen(base));
		buf_putc(out, '\t');
		buf_field(out, fs->path, strlen(fs->path));
		buf_printf(out, "\t1\t%u\t\\N\t", nlines);
		while (a < fs->size && (fs->content[a] == ' ' || fs->content[a] == '\t' ||
								fs->content[a] == '\n' || fs->content[a] == '\r'))
			a++;
		z = a;
		if (a + 1 < fs->size && fs->content[a] == '/' && fs->content[a + 1] == '*')
		{
			const char *e = strstr(fs->content + a + 2, "*/");

			z = e ? (size_t) (e - fs->content) + 2 : a;
		}
		else
			while (z + 1 < fs->size && fs->content[z] == '/' && fs->content[z + 1] == '/')
			{
				while (z < fs->size && fs->content[z] != '\n')
					z++;
				while (z < fs->size && (fs->content[z] == '\n' || fs->content[z] == ' ' ||
										fs->content[z] == '\t'))
					z++;
			}
		if (z > a && z - a <= 4000)
			buf_field(out, fs->content + a, z - a);
		else
			buf_null(out);
		buf_printf(out, "\t\\N\t%s\t\\N\tf\n", hash);
	}

	for (i = 0; i < fs->nnodes; i++)
	{
		Node	   *n = &fs->nodes[i];
		unsigned	from,
					to;

		line_range(fs, n, &from, &to);
		buf_printf(out, "N\t%lld\t%lld\t%s\t", (long long) n->id, (long long) n->parent, n->kind);
		buf_field(out, n->name, strlen(n->name));
		buf_putc(out, '\t');
		buf_field(out, n->qname, strlen(n->qname));
		buf_printf(out, "\t%u\t%u\t", n->start_line, n->end_line);
		if (strcmp(n->kind, "function") == 0 || strcmp(n->kind, "function_declaration") == 0 ||
			strcmp(n->kind, "macro") == 0)
			put_signature(out, fs, n);
		else
			buf_null(out);
		buf_putc(out, '\t');
		if (n->doc)
			buf_field(out, n->doc, strlen(n->doc));
		else
			buf_null(out);
		buf_putc(out, '\t');
		put_slice(out, fs, from, to);
		buf_putc(out, '\t');
		sha256_hex(fs->content + from, to > from ? to - from : 0, hash);
		buf_puts(out, hash);
		buf_putc(out, '\t');
		if (*n->usr)
			buf_field(out, n->usr, strlen(n->usr));
		else
			buf_null(out);
		buf_printf(out, "\t%s\n", n->is_static ? "t" : "f");
		if (n->embed)
		{
			size_t		mark = out->len;

			buf_printf(out, "T\t%lld\t", (long long) n->id);
			{
				size_t		tok_start = out->len;
				Buf			toks = {0};

				embed_tokens(&toks, n->name, strlen(n->name));
				if (n->doc)
				{
					buf_putc(&toks, ' ');
					embed_tokens(&toks, n->doc, strlen(n->doc));
				}
				buf_putc(&toks, ' ');
				embed_tokens(&toks, fs->content + from, to > from ? to - from : 0);
				if (toks.len > 0)
					buf_put(out, toks.data, toks.len);
				free(toks.data);
				if (out->len == tok_start)
					out->len = mark;	/* no tokens: no T record */
				else
					buf_putc(out, '\n');
			}
		}
	}

	/* references, one record per (src, kind, target) with its lines */
	qsort(fs->refs, (size_t) fs->nrefs, sizeof(Ref), cmp_ref);
	for (i = 0; i < fs->nrefs;)
	{
		int			j = i;

		buf_printf(out, "R\t%lld\t%s\t", (long long) fs->refs[i].src, fs->refs[i].kind);
		buf_field(out, fs->refs[i].usr, strlen(fs->refs[i].usr));
		buf_putc(out, '\t');
		buf_field(out, fs->refs[i].name, strlen(fs->refs[i].name));
		buf_puts(out, "\t{");
		while (j < fs->nrefs && fs->refs[j].src == fs->refs[i].src &&
			   strcmp(fs->refs[j].kind, fs->refs[i].kind) == 0 &&
			   strcmp(fs->refs[j].usr, fs->refs[i].usr) == 0)
		{
			if (j == i || fs->refs[j].line != fs->refs[j - 1].line)
				buf_printf(out, "%s%u", j == i ? "" : ",", fs->refs[j].line);
			j++;
		}
		buf_puts(out, "}\n");
		i = j;
	}
	for (i = 0; i < fs->nincs; i++)
	{
		Include    *inc = &fs->incs[i];

		buf_printf(out, "I\t%lld\t", (long long) fs->file_id);
		buf_field(out, inc->spelled, strlen(inc->spelled));
		buf_putc(out, '\t');
		if (inc->resolved && strncmp(inc->resolved, root_dir, root_len) == 0 &&
			inc->resolved[root_len] == '/')
			buf_field(out, inc->resolved + root_len + 1, strlen(inc->resolved + root_len + 1));
		else if (inc->resolved)
		{
			/* outside the tree: kept as an absolute path */
			buf_field(out, inc->resolved, strlen(inc->resolved));
		}
		else
			buf_null(out);
		buf_printf(out, "\t%u\n", inc->line);
	}
}

static void
free_file(FileState *fs)
{
	int			i;

	for (i = 0; i < fs->nnodes; i++)
	{
		free(fs->nodes[i].name);
		free(fs->nodes[i].qname);
		free(fs->nodes[i].doc);
		free(fs->nodes[i].usr);
	}
	for (i = 0; i < fs->nrefs; i++)
	{
		free(fs->refs[i].usr);
		free(fs->refs[i].name);
	}
	for (i = 0; i < fs->nincs; i++)
	{
		free(fs->incs[i].spelled);
		free(fs->incs[i].resolved);
	}
	for (i = 0; i < fs->cap_seen; i++)
		free(fs->seen[i].key);
	free(fs->nodes);
	free(fs->refs);
	free(fs->incs);
	free(fs->seen);
}

static void
emit_diag(Buf *out, const char *path, unsigned line, unsigned col, const char *msg)
{
	buf_puts(out, "D\t");
	buf_field(out, path, strlen(path));
	buf_printf(out, "\t%u\t%u\t", line, col);
	buf_field(out, msg, strlen(msg));
	buf_putc(out, '\n');
}

static char *
read_file(const char *path, size_t *size, const char **why)
{
	FILE	   *f = fopen(path, "rb");
	struct stat st;
	char	   *data;

	if (f == NULL)
	{
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
	{
		fclose(f);
		*why = "not a regular file";
		return NULL;
	}
	if (st.st_size > MAX_FILE_BYTES)
	{
		fclose(f);
		*why = "file too large";
		return NULL;
	}
	data = malloc((size_t) st.st_size + 1);
	*size = fread(data, 1, (size_t) st.st_size, f);
	data[*size] = '\0';
	fclose(f);
	return data;
}

/* the compile command's arguments for a file, without the compiler, -c, -o X and the file */
static char **
compdb_args(CXCompilationDatabase db, const char *abspath, int *nargs)
{
	CXCompileCommands cmds;
	CXCompileCommand cmd;
	unsigned	n,
				i;
	char	  **args;
	int			k = 0;

	*nargs = 0;
	if (db == NULL)
		return NULL;
	cmds = clang_CompilationDatabase_getCompileCommands(db, abspath);
	if (cmds == NULL)
		return NULL;
	if (clang_CompileCommands_getSize(cmds) == 0)
	{
		clang_CompileCommands_dispose(cmds);
		return NULL;
	}
	cmd = clang_CompileCommands_getCommand(cmds, 0);
	n = clang_CompileCommand_getNumArgs(cmd);
	args = calloc(n + 4, sizeof(char *));
	for (i = 1; i < n; i++)
	{
		char	   *a = cxdup(clang_CompileCommand_getArg(cmd, i));

		if (strcmp(a, "-c") == 0)
		{
			free(a);
			continue;
		}
		if (strcmp(a, "-o") == 0 && i + 1 < n)
		{
			free(a);
			i++;
			continue;
		}
		if (strcmp(a, abspath) == 0)
		{
			free(a);
			continue;
		}
		args[k++] = a;
	}
	/* relative -I in the command are relative to its directory */
	{
		char	   *dir = cxdup(clang_CompileCommand_getDirectory(cmd));

		args[k] = malloc(strlen(dir) + 20);
		sprintf(args[k++], "-working-directory=%s", dir);
		free(dir);
	}
	clang_CompileCommands_dispose(cmds);
	*nargs = k;
	return args;
}

int
main(int argc, char **argv)
{
	CXIndex		index;
	CXCompilationDatabase db = NULL;
	const char *compdb = NULL;
	int			single = 0;
	int			extra_start = argc;
	char		line[8192];
	Buf			out = {0};
	int			i;
	unsigned	flags;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
			root_dir = argv[++i];
		else if (strcmp(argv[i], "--compdb") == 0 && i + 1 < argc)
			compdb = argv[++i];
		else if (strcmp(argv[i], "--single-file") == 0)
			single = 1;
		else if (strcmp(argv[i], "--") == 0)
		{
			extra_start = i + 1;
			break;
		}
		else
		{
			fprintf(stderr, "usage: dllb-extract-c --root DIR [--compdb DIR] [--single-file] [-- CLANG_ARGS...] < paths\n");
			return 2;
		}
	}
	if (root_dir == NULL)
	{
		fprintf(stderr, "dllb-extract-c: --root is required\n");
		return 2;
	}
	root_len = strlen(root_dir);
	while (root_len > 1 && root_dir[root_len - 1] == '/')
		root_len--;

	{
		CXCompilationDatabase_Error err;
		const char *dir = compdb ? compdb : root_dir;
		char	   *probe = malloc(strlen(dir) + 32);
		struct stat st;

		sprintf(probe, "%s/compile_commands.json", dir);
		if (stat(probe, &st) == 0)
		{
			db = clang_CompilationDatabase_fromDirectory(dir, &err);
			if (err != CXCompilationDatabase_NoError)
			{
				fprintf(stderr, "dllb-extract-c: cannot read %s; using default flags\n", probe);
				db = NULL;
			}
		}
		free(probe);
	}

	index = clang_createIndex(0, 0);
	flags = CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_KeepGoing |
		CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
	if (single)
		flags |= CXTranslationUnit_SingleFileParse;

	while (fgets(line, sizeof(line), stdin))
	{
		size_t		len = strlen(line);
		char	   *abspath;
		FileState	fs;
		const char *why = NULL;
		char	  **cargs;
		int			ncargs,
					nargs = 0;
		const char **args;
		CXTranslationUnit tu = NULL;
		enum CXErrorCode rc;
		int			is_header;
		int			errors = 0;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		memset(&fs, 0, sizeof(fs));
		fs.path = line;
		abspath = malloc(root_len + len + 2);
		sprintf(abspath, "%.*s/%s", (int) root_len, root_dir, line);
		fs.abspath = abspath;
		fs.file_id = node_id(line, "file", line, 0);
		fs.content = read_file(abspath, &fs.size, &why);
		if (fs.content == NULL)
		{
			buf_puts(&out, "F\t");
			buf_field(&out, line, len);
			buf_puts(&out, "\tc\t\\N\t0\t-1\n");
			emit_diag(&out, line, 0, 0, why);
			goto flush;
		}
		is_header = len > 2 && strcmp(line + len - 2, ".h") == 0;

		cargs = compdb_args(db, abspath, &ncargs);
		args = calloc((size_t) (argc + ncargs + 8), sizeof(char *));
		if (cargs == NULL)
		{
			args[nargs++] = "-x";
			args[nargs++] = is_header ? "c-header" : "c";
			args[nargs++] = "-std=gnu11";
			for (i = extra_start; i < argc; i++)
				args[nargs++] = argv[i];
		}
		else
		{
			for (i = 0; i < ncargs; i++)
				args[nargs++] = cargs[i];
			if (is_header)
			{
				args[nargs++] = "-x";
				args[nargs++] = "c-header";
			}
		}
		args[nargs++] = "-fparse-all-comments";
		args[nargs++] = "-ferror-limit=0";
		args[nargs++] = "-w";

		rc = clang_parseTranslationUnit2(index, abspath, args, nargs, NULL, 0, flags, &tu);
		if (rc != CXError_Success || tu == NULL)
		{
			buf_puts(&out, "F\t");
			buf_field(&out, line, len);
			buf_printf(&out, "\tc\t\\N\t%zu\t-1\n", fs.size);
			emit_diag(&out, line, 0, 0, "libclang could not parse the file");
		}
		else
		{
			unsigned	nd = clang_getNumDiagnostics(tu),
						d,
						shown = 0;
			VisitCtx	ctx;

			fs.file = clang_getFile(tu, abspath);
			ctx.fs = &fs;
			ctx.owner = fs.file_id;
			ctx.owner_qname = NULL;
			if (fs.file)
				clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_decl, &ctx);
			for (d = 0; d < nd; d++)
			{
				CXDiagnostic diag = clang_getDiagnostic(tu, d);

				if (clang_getDiagnosticSeverity(diag) >= CXDiagnostic_Error)
				{
					errors++;
					if (shown < MAX_DIAGNOSTICS)
					{
						CXFile		f;
						unsigned	l,
									c,
									o;
						char	   *msg = cxdup(clang_getDiagnosticSpelling(diag));
						char	   *fname;

						clang_getExpansionLocation(clang_getDiagnosticLocation(diag), &f, &l, &c, &o);
						if (f && fs.file && clang_File_isEqual(f, fs.file))
							emit_diag(&out, line, l, c, msg);
						else
						{
							/* an error inside an included file: name it */
							char	   *m2;

							fname = f ? cxdup(clang_getFileName(f)) : xstrdup("?");
							m2 = malloc(strlen(msg) + strlen(fname) + 32);
							sprintf(m2, "%s (in %s:%u)", msg, fname, l);
							emit_diag(&out, line, 0, 0, m2);
							free(m2);
							free(fname);
						}
						free(msg);
						shown++;
					}
				}
				clang_disposeDiagnostic(diag);
			}
			/* F first: build the file block in its own buffer */
			{
				Buf			blk = {0};

				emit_file(&blk, &fs, "c", errors);
				fwrite(blk.data, 1, blk.len, stdout);
				free(blk.data);
			}
			clang_disposeTranslationUnit(tu);
		}
		if (cargs)
		{
			for (i = 0; i < ncargs; i++)
				free(cargs[i]);
			free(cargs);
		}
		free(args);
		free_file(&fs);
		free((void *) fs.content);
flush:
		free(abspath);
		if (out.len > 0)
			fwrite(out.data, 1, out.len, stdout);
		out.len = 0;
		if (ferror(stdout))
		{
			fprintf(stderr, "dllb-extract-c: write error\n");
			return 1;
		}
	}
	fflush(stdout);
	if (db)
		clang_CompilationDatabase_dispose(db);
	clang_disposeIndex(index);
	return 0;
}
