/*
 * Replay inputs through a fuzz target without libFuzzer: link it with
 * one target's object and run it as `replay-TARGET FILE...`. Each file
 * is read whole and passed to LLVMFuzzerTestOneInput once. A crash or
 * a sanitizer report ends the program with a failing status; otherwise
 * it prints how many files it replayed and exits 0.
 */
#include "common.h"
#include "fuzz.h"

#include "buf.h"

/*
 * Read the whole file at path into out. Returns 0, or -1 after printing
 * the error.
 */
static int read_whole(const char *path, struct buf *out)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	int ret = 0;

	if (!f) {
		fprintf(stderr, "replay: error: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	if (ferror(f)) {
		fprintf(stderr, "replay: error: cannot read '%s': %s\n", path,
			strerror(errno));
		ret = -1;
	}
	fclose(f);
	return ret;
}

static int replay_file(const char *path)
{
	struct buf text = BUF_INIT;
	uint8_t *data;

	if (read_whole(path, &text) < 0) {
		buf_release(&text);
		return -1;
	}
	/*
	 * Copy into a block of exactly the input's size, so that ASan
	 * reports a read past its end.
	 */
	data = xmalloc(text.len ? text.len : 1);
	if (text.len)
		memcpy(data, text.data, text.len);
	LLVMFuzzerTestOneInput(data, text.len);
	free(data);
	buf_release(&text);
	return 0;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (replay_file(argv[i]) < 0)
			failed = 1;
	if (failed)
		return 2;
	printf("replayed %d input%s\n", argc - 1, argc == 2 ? "" : "s");
	return 0;
}
