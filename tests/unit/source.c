#include "common.h"
#include "unit.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aws.h"
#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "signal_cleanup.h"
#include "source.h"

/*
 * Exports mapped by source_map (compiler/source.h): the text and its
 * terminating NUL, the release of pages a pass has passed, and a file
 * that changes under the mapping. Each case writes its files in a new
 * directory under /tmp and removes them.
 */

struct scratch {
	char dir[64];
	char path[96];		/* dir/export.json */
};

static void scratch_init(struct scratch *s)
{
	snprintf(s->dir, sizeof(s->dir), "/tmp/mandate-source-XXXXXX");
	if (!mkdtemp(s->dir))
		BUG("mkdtemp failed: %s", strerror(errno));
	snprintf(s->path, sizeof(s->path), "%s/export.json", s->dir);
}

static void scratch_remove(struct scratch *s, const char *const *names,
			   size_t n)
{
	char path[128];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", s->dir, names[i]);
		unlink(path);
	}
	rmdir(s->dir);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		BUG("cannot write %s", path);
}

/* Return a text of len bytes, each set from its offset and its page. */
static char *patterned(size_t len)
{
	char *text = xmalloc(len + 1);
	size_t i;

	for (i = 0; i < len; i++)
		text[i] = (char)('a' + (i * 7 + i / 4096) % 26);
	text[len] = '\0';
	return text;
}

/*
 * Return the resident size in kB of the mapping that starts at addr,
 * from /proc/self/smaps, or -1 when it is not listed.
 */
static long resident_kb(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false;
	long kb = -1;

	if (!f)
		BUG("cannot open /proc/self/smaps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		/* A field name such as "AnonHugePages" scans as one. */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == (unsigned long)addr;
			continue;
		}
		if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static unsigned sum_bytes(const struct source *s)
{
	const volatile unsigned char *p = (const unsigned char *)s->text;
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < s->len; i += 512)
		sum += p[i];
	return sum;
}

/* Map a file of len bytes and check its text and the NUL after it. */
static void check_mapped_text(size_t len)
{
	static const char *const names[] = { "export.json" };
	struct scratch s;
	struct source *src;
	struct diag d;
	char *text = patterned(len);

	scratch_init(&s);
	write_file(s.path, text, len);
	diag_init(&d, stderr, false);
	CHECK_INT(source_map(&src, s.path, SOURCE_EXPORT_MAX, &d), 0);
	if (src) {
		CHECK(src->map_len > len);
		CHECK_INT(src->len, len);
		CHECK(!memcmp(src->text, text, len));
		CHECK_INT(src->text[len], '\0');
		CHECK_INT(source_check_unchanged(src, &d), 0);
	}
	source_free(src);
	free(text);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

/* A size of whole pages ends in the zero page reserved after the file. */
static void test_source__map_whole_pages(void)
{
	check_mapped_text((size_t)sysconf(_SC_PAGESIZE) * 3);
}

static void test_source__map_part_page(void)
{
	check_mapped_text(10000);
}

/* An empty file and a device are read as before, not mapped. */
static void test_source__map_reads_empty_and_devices(void)
{
	static const char *const names[] = { "export.json" };
	struct scratch s;
	struct source *src;
	struct diag d;

	scratch_init(&s);
	write_file(s.path, "", 0);
	diag_init(&d, stderr, false);
	CHECK_INT(source_map(&src, s.path, SOURCE_EXPORT_MAX, &d), 0);
	if (src) {
		CHECK_INT(src->map_len, 0);
		CHECK_INT(src->len, 0);
		CHECK_INT(src->text[0], '\0');
	}
	source_free(src);
	CHECK_INT(source_map(&src, "/dev/null", SOURCE_EXPORT_MAX, &d), 0);
	if (src) {
		CHECK_INT(src->map_len, 0);
		CHECK_INT(src->len, 0);
	}
	source_free(src);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

/* The size limit applies to a mapped file as to a read one. */
static void test_source__map_rejects_over_limit(void)
{
	static const char *const names[] = { "export.json" };
	struct scratch s;
	struct source *src;
	struct diag d;
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct buf want = BUF_INIT;

	scratch_init(&s);
	write_file(s.path, "{\"a\": 1}", 8);
	diag_init(&d, mem, false);
	CHECK_INT(source_map(&src, s.path, 4, &d), -1);
	CHECK(src == NULL);
	fclose(mem);
	buf_addf(&want, "%s: error: file is 8 bytes, larger than the maximum "
		 "of 4 bytes\n", s.path);
	CHECK_STR(out, buf_str(&want));
	buf_release(&want);
	free(out);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

/*
 * A pass that releases as it goes leaves only a window resident, and a
 * released page reads back the same from the page cache.
 */
static void test_source__release_keeps_window(void)
{
	static const char *const names[] = { "export.json" };
	size_t len = (size_t)4 << 20, i;
	struct scratch s;
	struct source *src;
	struct diag d;
	char *text = patterned(len);
	unsigned first, again;
	long max_kb = 0;

	scratch_init(&s);
	write_file(s.path, text, len);
	diag_init(&d, stderr, false);
	CHECK_INT(source_map(&src, s.path, SOURCE_EXPORT_MAX, &d), 0);
	if (!src)
		goto out;
	first = sum_bytes(src);
	CHECK(resident_kb(src->text) >= (long)(len >> 10));
	source_release_all(src);
	CHECK_INT(resident_kb(src->text), 0);

	for (i = 0; i < len; i += 4096) {
		long kb;

		(void)*(const volatile char *)(src->text + i);
		source_release_before(src, i);
		kb = resident_kb(src->text);
		if (kb > max_kb)
			max_kb = kb;
	}
	CHECK(max_kb > 0);
	CHECK(max_kb <= 1024);	/* 4 MB passed, at most 1 MB resident */

	/* A lower offset starts a new pass: the old window goes. */
	source_release_before(src, 0);
	CHECK_INT(resident_kb(src->text), 0);
	again = sum_bytes(src);
	CHECK_INT(again, first);
	CHECK(!memcmp(src->text, text, len));
out:
	source_free(src);
	free(text);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

/*
 * A mapped text indexes only some lines and places in long lines, and
 * finds the rest by scanning. Every offset gets the line and line start
 * of a text read into memory.
 */
static void test_source__mapped_lines_match_read(void)
{
	static const char *const names[] = { "export.json" };
	struct buf text = BUF_INIT;
	struct scratch s;
	struct source *mapped, *read;
	struct diag d;
	size_t i, off;

	for (i = 0; i < 300; i++) {
		buf_addf(&text, "%.*s%s", (int)(i % 7) * 3, "{\"a\": [1, 2]}  ",
			 i % 5 == 4 ? "\r\n" : "\n");
		if (i == 150)	/* a line longer than the index's step */
			buf_add_spaces(&text, 20000);
	}
	buf_add_spaces(&text, 10000);	/* and one with no line feed */
	scratch_init(&s);
	write_file(s.path, text.data, text.len);
	diag_init(&d, stderr, false);
	CHECK_INT(source_map(&mapped, s.path, SOURCE_EXPORT_MAX, &d), 0);
	read = source_from_memory(s.path, text.data, text.len);
	for (off = 0; mapped && off <= text.len + 1; off++) {
		size_t got_start = 0, want_start = 0;
		uint32_t got = source_line_of(mapped, off, &got_start);
		uint32_t want = source_line_of(read, off, &want_start);

		CHECK_INT(got, want);
		CHECK_INT(got_start, want_start);
	}
	CHECK_INT(source_line_of(read, text.len, NULL), 301);
	source_free(mapped);
	source_free(read);
	buf_release(&text);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

/* A rewrite of the same size is found by its modification time. */
static void test_source__rewrite_same_size_found(void)
{
	static const char *const names[] = { "export.json" };
	struct timespec times[2] = { { 0, UTIME_OMIT }, { 1000000, 0 } };
	struct scratch s;
	struct source *src;
	struct diag d;
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct buf want = BUF_INIT;

	scratch_init(&s);
	write_file(s.path, "{\"a\": 1}", 8);
	diag_init(&d, mem, false);
	CHECK_INT(source_map(&src, s.path, SOURCE_EXPORT_MAX, &d), 0);
	write_file(s.path, "{\"a\": 2}", 8);
	if (utimensat(AT_FDCWD, s.path, times, 0) < 0)
		BUG("utimensat failed: %s", strerror(errno));
	if (src)
		CHECK_INT(source_check_unchanged(src, &d), -1);
	source_free(src);
	fclose(mem);
	buf_addf(&want, "%s: error: the file changed while it was being "
		 "read\n", s.path);
	CHECK_STR(out, buf_str(&want));
	buf_release(&want);
	free(out);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

/*
 * An export found changed once it is converted fails its load, and the
 * state that took it releases it once: ASan reports a second free. The
 * file is closed after the check, whatever it finds.
 */
static void test_source__changed_export_fails_load(void)
{
	static const char *const names[] = { "export.json" };
	static const char gaad[] = "{\"UserDetailList\": [], "
				   "\"RoleDetailList\": []}";
	struct timespec times[2] = { { 0, UTIME_OMIT }, { 1000000, 0 } };
	struct aws_state st;
	struct scratch s;
	struct source *src;
	struct diag d;
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct buf want = BUF_INIT;

	scratch_init(&s);
	write_file(s.path, gaad, strlen(gaad));
	diag_init(&d, mem, false);
	aws_state_init(&st);
	CHECK_INT(source_map(&src, s.path, SOURCE_EXPORT_MAX, &d), 0);
	if (utimensat(AT_FDCWD, s.path, times, 0) < 0)
		BUG("utimensat failed: %s", strerror(errno));
	if (src) {
		CHECK_INT(aws_state_load_source(&st, src, &d), -1);
		CHECK_INT(src->fd, -1);
	}
	aws_state_release(&st);
	fclose(mem);
	buf_addf(&want, "%s: error: the file changed while it was being "
		 "read\n", s.path);
	CHECK_STR(out, buf_str(&want));
	buf_release(&want);
	free(out);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

/* An export loaded whole keeps its mapping but not its file open. */
static void test_source__loaded_export_closes_file(void)
{
	static const char *const names[] = { "export.json" };
	static const char gaad[] = "{\"UserDetailList\": [], "
				   "\"RoleDetailList\": []}";
	struct aws_state st;
	struct scratch s;
	struct source *src;
	struct diag d;

	scratch_init(&s);
	write_file(s.path, gaad, strlen(gaad));
	diag_init(&d, stderr, false);
	aws_state_init(&st);
	CHECK_INT(source_map(&src, s.path, SOURCE_EXPORT_MAX, &d), 0);
	if (src) {
		CHECK(src->fd >= 0);
		CHECK_INT(aws_state_load_source(&st, src, &d), 0);
		CHECK_INT(src->fd, -1);
		CHECK(!memcmp(src->text, gaad, strlen(gaad)));
	}
	aws_state_release(&st);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

/*
 * In a child whose stderr is the file err: list a staged report for
 * removal, map the export, truncate it and read a page past its new
 * end. Exits 91 if the read returns.
 */
static void truncate_and_read(const struct scratch *s, const char *err)
{
	struct source *src;
	struct diag d;
	char staged[128];
	int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
		_exit(90);
	close(fd);
	snprintf(staged, sizeof(staged), "%s/report.sarif", s->dir);
	write_file(staged, "{}\n", 3);
	diag_init(&d, stderr, false);
	signal_cleanup_install();
	signal_cleanup_add(staged, NULL);
	if (source_map(&src, s->path, SOURCE_EXPORT_MAX, &d) < 0)
		_exit(92);
	if (truncate(s->path, 0) < 0)
		_exit(93);
	(void)*(const volatile char *)(src->text + src->len / 2);
	_exit(91);
}

static void test_source__truncated_export_exits_2(void)
{
	static const char *const names[] = {
		"export.json", "stderr", "report.sarif",
	};
	size_t len = (size_t)sysconf(_SC_PAGESIZE) * 4;
	char *text = patterned(len);
	struct scratch s;
	struct buf err = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	struct stat st;
	int status;
	pid_t pid;

	scratch_init(&s);
	write_file(s.path, text, len);
	buf_addf(&err, "%s/stderr", s.dir);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		BUG("fork failed: %s", strerror(errno));
	if (pid == 0)
		truncate_and_read(&s, buf_str(&err));
	if (waitpid(pid, &status, 0) != pid)
		BUG("waitpid failed: %s", strerror(errno));
	CHECK(WIFEXITED(status));
	if (WIFEXITED(status))
		CHECK_INT(WEXITSTATUS(status), EXIT_ERROR);
	else
		CHECK_INT(WTERMSIG(status), 0);

	CHECK_INT(read_file(buf_str(&err), 4096, &got), 0);
	buf_addf(&want, "%s: error: the file changed while it was being "
		 "read\n", s.path);
	CHECK_STR(buf_str(&got), buf_str(&want));
	buf_release(&got);
	buf_reset(&err);
	buf_addf(&err, "%s/report.sarif", s.dir);
	CHECK_INT(stat(buf_str(&err), &st), -1);
	CHECK_INT(errno, ENOENT);

	buf_release(&err);
	buf_release(&want);
	free(text);
	scratch_remove(&s, names, ARRAY_SIZE(names));
}

UNIT_MAIN(UNIT_TEST(test_source__map_whole_pages),
	  UNIT_TEST(test_source__map_part_page),
	  UNIT_TEST(test_source__map_reads_empty_and_devices),
	  UNIT_TEST(test_source__map_rejects_over_limit),
	  UNIT_TEST(test_source__release_keeps_window),
	  UNIT_TEST(test_source__mapped_lines_match_read),
	  UNIT_TEST(test_source__rewrite_same_size_found),
	  UNIT_TEST(test_source__changed_export_fails_load),
	  UNIT_TEST(test_source__loaded_export_closes_file),
	  UNIT_TEST(test_source__truncated_export_exits_2))
