/*-------------------------------------------------------------------------
 *
 * sha256.h
 *	  SHA-256 (FIPS 180-4) for the C extractor: content hashes and node ids
 *	  that match Python's hashlib.sha256 in the Python extractor.
 *
 * IDENTIFICATION
 *	  codeintel/sha256.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CODEINTEL_SHA256_H
#define CODEINTEL_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct Sha256
{
	uint32_t	h[8];
	uint64_t	len;			/* bytes hashed so far */
	unsigned char buf[64];
	size_t		nbuf;
} Sha256;

void		sha256_init(Sha256 *s);
void		sha256_update(Sha256 *s, const void *data, size_t n);
void		sha256_final(Sha256 *s, unsigned char out[32]);
/* out: 64 lower-case hex digits and a NUL */
void		sha256_hex(const void *data, size_t n, char out[65]);

#endif
