#ifndef MANDATE_COMPILER_SHA256_H
#define MANDATE_COMPILER_SHA256_H

/*
 * SHA-256 as FIPS 180-4 (Secure Hash Standard) defines it, for the
 * manifest of mandate build. Feed a message in pieces of any size to
 * sha256_update between sha256_init and sha256_final. The state lives
 * in caller storage and owns nothing, so it needs no release.
 */

/* Size of a digest in bytes, and of its lowercase hexadecimal and NUL. */
#define SHA256_SIZE 32
#define SHA256_HEX_SIZE (2 * SHA256_SIZE + 1)

struct sha256 {
	uint32_t h[8];		/* the intermediate hash value */
	uint64_t bytes;		/* message length so far */
	unsigned char block[64];
	size_t used;		/* bytes of block filled */
};

void sha256_init(struct sha256 *c);

/* Add len bytes at data to the message. data may be NULL when len is 0. */
void sha256_update(struct sha256 *c, const void *data, size_t len);

/*
 * Pad the message and store its digest in out. Call sha256_init before
 * hashing another message with c.
 */
void sha256_final(struct sha256 *c, unsigned char out[SHA256_SIZE]);

/* Store in out the lowercase hexadecimal digest of len bytes at data. */
void sha256_hex(char out[SHA256_HEX_SIZE], const void *data, size_t len);

#endif
