/*
 * The benchmark's baseline: read a JSON file whole, parse it with
 * cJSON_Parse and free the tree, nothing else. `make bench` times
 * mandate check against this on the same export.
 *
 * Usage: cjson-parse FILE. Exits 0 when the file parsed, 2 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 65536 + 1 > cap) {
			char *grown;

			cap = cap ? cap * 2 : 1 << 20;
			grown = realloc(data, cap);
			if (!grown) {
				free(data);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			data = grown;
		}
		got = fread(data + n, 1, 65536, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

int main(int argc, char **argv)
{
	size_t len = 0;
	char *text;
	cJSON *doc;

	if (argc != 2) {
		fprintf(stderr, "usage: cjson-parse FILE\n");
		return 2;
	}
	text = read_all(argv[1], &len);
	if (!text) {
		fprintf(stderr, "cjson-parse: cannot read '%s': %s\n", argv[1],
			strerror(errno));
		return 2;
	}
	doc = cJSON_Parse(text);
	free(text);
	if (!doc) {
		fprintf(stderr, "cjson-parse: '%s' is not valid JSON\n",
			argv[1]);
		return 2;
	}
	cJSON_Delete(doc);
	return 0;
}
