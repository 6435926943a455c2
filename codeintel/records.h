/*-------------------------------------------------------------------------
 *
 * records.h
 *	  The record stream an extractor writes and dllb-index-code reads.
 *
 * One line per record, fields separated by tabs, each text field escaped
 * as PostgreSQL's COPY text format wants it (\\ \t \n \r, \N for NULL), so
 * the loader passes fields to COPY without decoding them.  A file's records
 * come together, starting with its F line (doc/codeintel.md, "Record
 * stream"):
 *
 *	F path language sha256 bytes errors
 *	N id parent kind name qname start end signature doc source hash usr static
 *	R src kind target_usr target_name lines		(kind: calls, references_type)
 *	I file spelled resolved_path line			(an #include or import)
 *	T id tokens									(embedding text of node id)
 *	D path line column message					(a parse error)
 *
 * IDENTIFICATION
 *	  codeintel/records.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CODEINTEL_RECORDS_H
#define CODEINTEL_RECORDS_H

#include <stddef.h>
#include <stdint.h>

typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

void		buf_reserve(Buf *b, size_t more);
void		buf_put(Buf *b, const char *s, size_t n);
void		buf_puts(Buf *b, const char *s);
void		buf_putc(Buf *b, char c);
void		buf_printf(Buf *b, const char *fmt,...) __attribute__((format(printf, 2, 3)));
/* a text field, COPY-escaped, invalid UTF-8 bytes replaced by U+FFFD, NULs dropped */
void		buf_field(Buf *b, const char *s, size_t n);
/* \N */
void		buf_null(Buf *b);

/*
 * Node id: the first 8 bytes of sha256(path NUL kind NUL qname NUL ordinal),
 * big-endian, top bit cleared: stable across runs while the node keeps its
 * file, kind, qualified name and its rank among namesakes.
 */
int64_t		node_id(const char *path, const char *kind, const char *qname, int ordinal);

/* embedding tokens of text (see doc/codeintel.md), appended space-separated */
void		embed_tokens(Buf *out, const char *s, size_t n);

#endif
