#include "common.h"
#include "unit.h"

#include <unistd.h>

#include "sha256.h"

/*
 * SHA-256 (compiler/sha256.h) against the examples of FIPS 180-2
 * appendix B ("abc", the 448-bit message, a million 'a'), the empty
 * message, and coreutils' sha256sum on files whose sizes fall around
 * the block and padding boundaries.
 */

static void to_hex(char out[SHA256_HEX_SIZE],
		   const unsigned char md[SHA256_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < SHA256_SIZE; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0xf];
	}
	out[2 * SHA256_SIZE] = '\0';
}

/* Store the digest of a message fed in pieces of the given sizes. */
static void hash_in_chunks(char out[SHA256_HEX_SIZE], const char *msg,
			   size_t len, const size_t *sizes, size_t nsizes)
{
	unsigned char md[SHA256_SIZE];
	struct sha256 c;
	size_t done = 0, i = 0, n;

	sha256_init(&c);
	while (done < len) {
		n = sizes[i++ % nsizes];
		if (n > len - done)
			n = len - done;
		sha256_update(&c, msg + done, n);
		done += n;
	}
	sha256_final(&c, md);
	to_hex(out, md);
}

static void test_sha256__abc(void)
{
	char hex[SHA256_HEX_SIZE];

	sha256_hex(hex, "abc", 3);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223"
		       "b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256__two_block_message(void)
{
	static const char msg[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const size_t one_byte[] = { 1 };
	static const char want[] = "248d6a61d20638b8e5c026930c3e6039"
				   "a33ce45964ff2167f6ecedd419db06c1";
	char hex[SHA256_HEX_SIZE];

	CHECK_INT(strlen(msg) * 8, 448);
	sha256_hex(hex, msg, strlen(msg));
	CHECK_STR(hex, want);
	hash_in_chunks(hex, msg, strlen(msg), one_byte, 1);
	CHECK_STR(hex, want);
}

static void test_sha256__million_a_in_odd_chunks(void)
{
	static const size_t sizes[] = { 1, 3, 55, 56, 63, 64, 65, 127, 1000,
					4099 };
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67"
				   "f1809a48a497200e046d39ccc7112cd0";
	size_t len = 1000000;
	char *msg = xmalloc(len);
	char hex[SHA256_HEX_SIZE];

	memset(msg, 'a', len);
	hash_in_chunks(hex, msg, len, sizes, ARRAY_SIZE(sizes));
	CHECK_STR(hex, want);
	sha256_hex(hex, msg, len);
	CHECK_STR(hex, want);
	free(msg);
}

static void test_sha256__empty_message(void)
{
	static const char want[] = "e3b0c44298fc1c149afbf4c8996fb924"
				   "27ae41e4649b934ca495991b7852b855";
	static const size_t none[] = { 0 };
	char hex[SHA256_HEX_SIZE];

	sha256_hex(hex, NULL, 0);
	CHECK_STR(hex, want);
	hash_in_chunks(hex, "", 0, none, 1);
	CHECK_STR(hex, want);
}

/* Write len bytes of a fixed pseudo-random sequence to path. */
static void write_random_file(const char *path, size_t len)
{
	FILE *f = fopen(path, "wb");
	uint32_t x = 2463534242u;	/* xorshift32 */
	size_t i;

	if (!f)
		BUG("cannot create %s", path);
	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		putc((int)(x & 0xff), f);
	}
	if (fclose(f) != 0)
		BUG("cannot write %s", path);
}

/* Store the digest of the file at path, read in 1000-byte pieces. */
static void hash_file(char out[SHA256_HEX_SIZE], const char *path)
{
	unsigned char chunk[1000], md[SHA256_SIZE];
	FILE *f = fopen(path, "rb");
	struct sha256 c;
	size_t n;

	if (!f)
		BUG("cannot open %s", path);
	sha256_init(&c);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sha256_update(&c, chunk, n);
	fclose(f);
	sha256_final(&c, md);
	to_hex(out, md);
}

/* Store the digest that sha256sum prints for path, or "" on failure. */
static void sha256sum_file(char out[SHA256_HEX_SIZE], const char *path)
{
	char cmd[256];
	FILE *p;

	out[0] = '\0';
	snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
	p = popen(cmd, "r");
	if (!p)
		return;
	if (!fgets(out, SHA256_HEX_SIZE, p))
		out[0] = '\0';
	pclose(p);
}

static void test_sha256__matches_sha256sum(void)
{
	/*
	 * Sizes around 55 bytes, the most that one block holds with the
	 * padding, and around 64 and 128 bytes, one and two blocks, then a
	 * few MB.
	 */
	static const size_t sizes[] = { 0, 1, 55, 56, 63, 64, 65, 119, 120,
					128, 3 * 1024 * 1024 + 7 };
	char dir[] = "/tmp/mandate-sha256-XXXXXX";
	char path[64], got[SHA256_HEX_SIZE], want[SHA256_HEX_SIZE];
	size_t i;

	if (!mkdtemp(dir))
		BUG("mkdtemp failed");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(path, sizeof(path), "%s/%zu", dir, sizes[i]);
		write_random_file(path, sizes[i]);
		hash_file(got, path);
		sha256sum_file(want, path);
		CHECK_INT(strlen(want), SHA256_HEX_SIZE - 1);
		if (strcmp(got, want))
			unit_fail(__FILE__, __LINE__, "a file of %zu bytes "
				  "hashes to %s, sha256sum gives %s",
				  sizes[i], got, want);
		unlink(path);
	}
	rmdir(dir);
}

UNIT_MAIN(UNIT_TEST(test_sha256__abc),
	  UNIT_TEST(test_sha256__two_block_message),
	  UNIT_TEST(test_sha256__million_a_in_odd_chunks),
	  UNIT_TEST(test_sha256__empty_message),
	  UNIT_TEST(test_sha256__matches_sha256sum))
