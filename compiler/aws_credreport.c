#include "common.h"
#include "aws_credreport.h"

#include <strings.h>

#include "ptrmap.h"

/* The columns the reader uses. */
enum column {
	COL_USER,
	COL_ARN,
	COL_CREATED,
	COL_PASSWORD_ENABLED,
	COL_PASSWORD_LAST_USED,
	COL_MFA_ACTIVE,
	COL_KEY1_ACTIVE,
	COL_KEY1_ROTATED,
	COL_KEY1_USED,
	COL_KEY2_ACTIVE,
	COL_KEY2_ROTATED,
	COL_KEY2_USED,
	COL_PASSWORD_CHANGED,
	COL_PASSWORD_NEXT,
	COL_CERT1_ACTIVE,
	COL_CERT1_ROTATED,
	COL_CERT2_ACTIVE,
	COL_CERT2_ROTATED,
	NCOLUMNS,
};

static const struct {
	const char *name;
	bool required;
} columns[NCOLUMNS] = {
	[COL_USER] = { "user", true },
	[COL_ARN] = { "arn", true },
	[COL_CREATED] = { "user_creation_time", false },
	[COL_PASSWORD_ENABLED] = { "password_enabled", true },
	[COL_PASSWORD_LAST_USED] = { "password_last_used", true },
	[COL_MFA_ACTIVE] = { "mfa_active", false },
	[COL_KEY1_ACTIVE] = { "access_key_1_active", true },
	[COL_KEY1_ROTATED] = { "access_key_1_last_rotated", true },
	[COL_KEY1_USED] = { "access_key_1_last_used_date", true },
	[COL_KEY2_ACTIVE] = { "access_key_2_active", true },
	[COL_KEY2_ROTATED] = { "access_key_2_last_rotated", true },
	[COL_KEY2_USED] = { "access_key_2_last_used_date", true },
	[COL_PASSWORD_CHANGED] = { "password_last_changed", false },
	[COL_PASSWORD_NEXT] = { "password_next_rotation", false },
	[COL_CERT1_ACTIVE] = { "cert_1_active", false },
	[COL_CERT1_ROTATED] = { "cert_1_last_rotated", false },
	[COL_CERT2_ACTIVE] = { "cert_2_active", false },
	[COL_CERT2_ROTATED] = { "cert_2_last_rotated", false },
};

struct field {
	size_t value;		/* where the value starts in values */
	size_t len;
	size_t off;		/* where the field starts in the CSV text */
};

/* One record of the CSV text being read. */
struct record {
	struct buf values;
	struct field *fields;
	size_t nfields, cap;
	size_t off;		/* where the record starts */
};

/* The CSV text and where its errors are reported. */
struct csv {
	const char *text;
	size_t len, pos;
	struct source *src;
	struct diag *d;
	bool wrapped;		/* the text is Content of a JSON wrapper */
	struct loc content;	/* that Content value */
	struct arena *arena;
	struct strtab *strtab;
	size_t col[NCOLUMNS];	/* header index of each column */
	size_t ncols;
};

static int csv_error(struct csv *in, size_t off, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

/*
 * Report at off in the CSV text: the file position for a CSV file, the
 * Content value and the report's line number for a JSON wrapper.
 */
static int csv_error(struct csv *in, size_t off, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	struct loc loc = { in->src, (uint32_t)off, 0 };
	va_list ap;

	if (in->wrapped) {
		size_t line = 1, i;

		for (i = 0; i < off && i < in->len; i++)
			line += in->text[i] == '\n';
		buf_addf(&msg, "Content: line %zu of the report: ", line);
		loc = in->content;
	}
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_at(in->d, DIAG_ERROR, &loc, "%s", buf_str(&msg));
	buf_release(&msg);
	return -1;
}

static void add_field(struct record *r, size_t off, const char *s, size_t n)
{
	struct field *f;

	grow_array((void **)&r->fields, &r->cap, r->nfields + 1,
		   sizeof(*r->fields));
	f = &r->fields[r->nfields++];
	f->value = r->values.len;
	f->len = n;
	f->off = off;
	buf_add(&r->values, s, n);
	buf_addch(&r->values, '\0');
}

static int read_quoted(struct csv *in, struct record *r)
{
	size_t start = in->pos, i = in->pos + 1;
	struct buf value = BUF_INIT;
	int ret = 0;

	for (;;) {
		if (i >= in->len) {
			ret = csv_error(in, start, "unterminated quoted field");
			goto out;
		}
		if (in->text[i] == '"') {
			if (i + 1 < in->len && in->text[i + 1] == '"') {
				buf_addch(&value, '"');
				i += 2;
				continue;
			}
			i++;
			break;
		}
		buf_addch(&value, in->text[i++]);
	}
	if (i < in->len && in->text[i] != ',' && in->text[i] != '\n' &&
	    in->text[i] != '\r') {
		ret = csv_error(in, i, "expected ',' or the end of the line "
				"after a quoted field");
		goto out;
	}
	add_field(r, start, value.data ? value.data : "", value.len);
	in->pos = i;
out:
	buf_release(&value);
	return ret;
}

static int read_plain(struct csv *in, struct record *r)
{
	size_t start = in->pos, i = in->pos;

	while (i < in->len && in->text[i] != ',' && in->text[i] != '\n' &&
	       in->text[i] != '\r') {
		if (in->text[i] == '"')
			return csv_error(in, i, "quote inside an unquoted "
					 "field");
		if (in->text[i] == '\0')
			return csv_error(in, i, "NUL byte in the report");
		i++;
	}
	add_field(r, start, in->text + start, i - start);
	in->pos = i;
	return 0;
}

/* Read the next record. Returns 1, 0 at the end of the text, or -1. */
static int read_record(struct csv *in, struct record *r)
{
	buf_reset(&r->values);
	r->nfields = 0;
	r->off = in->pos;
	if (in->pos >= in->len)
		return 0;
	for (;;) {
		int ret = in->text[in->pos] == '"' ? read_quoted(in, r)
						    : read_plain(in, r);

		if (ret)
			return -1;
		if (in->pos >= in->len)
			return 1;
		if (in->text[in->pos] == ',') {
			in->pos++;
			continue;
		}
		if (in->text[in->pos] == '\r')
			in->pos++;
		if (in->pos < in->len && in->text[in->pos] == '\n')
			in->pos++;
		return 1;
	}
}

static const char *field_value(const struct record *r, size_t i)
{
	return r->values.data + r->fields[i].value;
}

static int read_header(struct csv *in, struct record *r)
{
	size_t i, c;

	if (read_record(in, r) <= 0)
		return in->pos >= in->len && !r->nfields
		       ? csv_error(in, 0, "empty credential report; expected "
				   "a header such as 'user,arn,...'") : -1;
	for (c = 0; c < NCOLUMNS; c++)
		in->col[c] = SIZE_MAX;
	for (i = 0; i < r->nfields; i++) {
		for (c = 0; c < NCOLUMNS; c++)
			if (!strcasecmp(field_value(r, i), columns[c].name))
				break;
		if (c == NCOLUMNS)
			continue;
		if (in->col[c] != SIZE_MAX)
			return csv_error(in, r->fields[i].off, "duplicate "
					 "column '%s' in the header",
					 columns[c].name);
		in->col[c] = i;
	}
	for (c = 0; c < NCOLUMNS; c++)
		if (columns[c].required && in->col[c] == SIZE_MAX)
			return csv_error(in, r->off, "the header has no '%s' "
					 "column", columns[c].name);
	in->ncols = r->nfields;
	return 0;
}

static int read_flag(struct csv *in, const struct record *r, enum column c,
		     bool allow_unsupported, bool *out)
{
	const char *v;

	*out = false;
	if (in->col[c] == SIZE_MAX)
		return 0;
	v = field_value(r, in->col[c]);
	if (!strcmp(v, "true")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "false") ||
	    (allow_unsupported && !strcmp(v, "not_supported")))
		return 0;
	return csv_error(in, r->fields[in->col[c]].off, "column '%s': "
			 "expected 'true' or 'false', got '%s'",
			 columns[c].name, v);
}

static int read_date(struct csv *in, const struct record *r, enum column c,
		     int32_t *out)
{
	const struct field *f;
	const char *v;

	*out = -1;
	if (in->col[c] == SIZE_MAX)
		return 0;
	f = &r->fields[in->col[c]];
	v = field_value(r, in->col[c]);
	if (!strcmp(v, "N/A") || !strcmp(v, "no_information") ||
	    !strcmp(v, "not_supported"))
		return 0;
	if (aws_parse_timestamp(v, f->len, out))
		return csv_error(in, f->off, "column '%s': expected an ISO "
				 "8601 timestamp, N/A or no_information, got "
				 "'%s'", columns[c].name, v);
	return 0;
}

/*
 * Return whether arn is that of the row's user: the account's root for
 * "<root_account>", else a user ARN whose name, after its path, is user.
 */
static bool name_matches_arn(const char *user, const char *arn)
{
	const char *kind = strstr(arn, ":iam::");
	const char *name;

	if (!kind || !(kind = strchr(kind + 6, ':')))
		return false;
	kind++;
	if (!strcmp(user, "<root_account>"))
		return !strcmp(kind, "root");
	if (strncmp(kind, "user/", 5))
		return false;
	name = strrchr(kind, '/') + 1;
	return !strcmp(name, user);
}

static int read_names(struct csv *in, const struct record *r,
		      struct aws_credential_row *row)
{
	const struct field *user = &r->fields[in->col[COL_USER]];
	const struct field *arn = &r->fields[in->col[COL_ARN]];
	const char *arn_value = field_value(r, in->col[COL_ARN]);

	if (!user->len)
		return csv_error(in, user->off, "column 'user' is empty");
	if (strncmp(arn_value, "arn:", 4) || !strstr(arn_value, ":iam::"))
		return csv_error(in, arn->off, "column 'arn': expected an IAM "
				 "ARN (arn:PARTITION:iam::ACCOUNT:...), got "
				 "'%s'", arn_value);
	if (!name_matches_arn(field_value(r, in->col[COL_USER]), arn_value))
		return csv_error(in, arn->off, "column 'arn': '%s' is not the "
				 "ARN of user '%s'", arn_value,
				 field_value(r, in->col[COL_USER]));
	row->user = strtab_intern(in->strtab, field_value(r, in->col[COL_USER]),
				  user->len);
	row->arn = strtab_intern(in->strtab, arn_value, arn->len);
	return 0;
}

static int read_row(struct csv *in, const struct record *r,
		    struct aws_credential_row *row)
{
	size_t end = r->off, i;
	int32_t unused;
	bool flag;

	while (end < in->len && in->text[end] != '\n' && in->text[end] != '\r')
		end++;
	row->loc = in->wrapped ? in->content
		   : (struct loc){ in->src, (uint32_t)r->off,
				   (uint32_t)(end - r->off) };
	if (r->nfields != in->ncols)
		return csv_error(in, r->off, "row has %zu field%s, but the "
				 "header has %zu", r->nfields,
				 r->nfields == 1 ? "" : "s", in->ncols);
	for (i = 0; i < r->nfields; i++)
		if (!utf8_valid(field_value(r, i)))
			return csv_error(in, r->fields[i].off, "field %zu of "
					 "the row is not valid UTF-8", i + 1);
	if (read_names(in, r, row) ||
	    read_date(in, r, COL_CREATED, &row->created) ||
	    read_flag(in, r, COL_PASSWORD_ENABLED, true,
		      &row->password_enabled) ||
	    read_date(in, r, COL_PASSWORD_LAST_USED,
		      &row->password_last_used) ||
	    read_flag(in, r, COL_MFA_ACTIVE, false, &row->mfa_active) ||
	    read_flag(in, r, COL_KEY1_ACTIVE, false, &row->keys[0].active) ||
	    read_date(in, r, COL_KEY1_ROTATED, &row->keys[0].last_rotated) ||
	    read_date(in, r, COL_KEY1_USED, &row->keys[0].last_used) ||
	    read_flag(in, r, COL_KEY2_ACTIVE, false, &row->keys[1].active) ||
	    read_date(in, r, COL_KEY2_ROTATED, &row->keys[1].last_rotated) ||
	    read_date(in, r, COL_KEY2_USED, &row->keys[1].last_used) ||
	    read_date(in, r, COL_PASSWORD_CHANGED, &unused) ||
	    read_date(in, r, COL_PASSWORD_NEXT, &unused) ||
	    read_flag(in, r, COL_CERT1_ACTIVE, false, &flag) ||
	    read_date(in, r, COL_CERT1_ROTATED, &unused) ||
	    read_flag(in, r, COL_CERT2_ACTIVE, false, &flag) ||
	    read_date(in, r, COL_CERT2_ROTATED, &unused))
		return -1;
	return 0;
}

/*
 * Report a second row for one ARN, and where the first one is. seen maps
 * an ARN to its row's index plus one, since rows may still move.
 */
static int check_unique(struct csv *in, struct ptrmap *seen,
			const struct aws_credential_row *rows, size_t index,
			const struct record *r)
{
	const char *arn = rows[index].arn;
	uintptr_t first = (uintptr_t)ptrmap_get(seen, arn);

	if (!first) {
		ptrmap_put(seen, arn, (void *)(uintptr_t)(index + 1));
		return 0;
	}
	csv_error(in, r->fields[in->col[COL_ARN]].off, "duplicate row for "
		  "'%s'", arn);
	if (!in->wrapped)
		diag_at(in->d, DIAG_NOTE, &rows[first - 1].loc, "the first row "
			"for '%s' is here", arn);
	return -1;
}

static int read_csv(struct csv *in, struct aws_credential_report **out)
{
	struct aws_credential_report *rep;
	struct aws_credential_row *rows = NULL;
	struct record r = { BUF_INIT, NULL, 0, 0, 0 };
	struct ptrmap seen = PTRMAP_INIT;
	size_t n = 0, cap = 0, i;
	unsigned errors_before = in->d->errors;
	int ret = 0, more;

	if (read_header(in, &r)) {
		ret = -1;
		goto out;
	}
	while (!(in->d->stopped && in->d->errors > errors_before) &&
	       (more = read_record(in, &r)) != 0) {
		if (more < 0) {
			ret = -1;
			break;
		}
		grow_array((void **)&rows, &cap, n + 1, sizeof(*rows));
		memset(&rows[n], 0, sizeof(rows[n]));
		if (read_row(in, &r, &rows[n]) ||
		    check_unique(in, &seen, rows, n, &r))
			ret = -1;
		n++;
	}
	if (in->d->errors != errors_before)
		ret = -1;
	/*
	 * IAM lists the root user in every credential report, so a report
	 * without rows was cut short, most likely inside its header.
	 */
	if (!ret && !n) {
		csv_error(in, in->len, "the credential report has no rows; "
			  "a complete report lists at least the root user, so "
			  "this one may be truncated");
		ret = -1;
	}
	if (ret)
		goto out;
	rep = arena_calloc(in->arena, 1, sizeof(*rep));
	rep->src = in->src;
	rep->nrows = n;
	rep->rows = arena_calloc(in->arena, n, sizeof(*rep->rows));
	for (i = 0; i < n; i++)
		rep->rows[i] = rows[i];
	*out = rep;
out:
	free(rows);
	free(r.fields);
	buf_release(&r.values);
	ptrmap_release(&seen);
	return ret;
}

bool aws_credreport_is_csv(const char *text, size_t len)
{
	bool user = false, arn = false;
	size_t i = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && text[i] != '\n' && text[i] != '\r') {
		size_t start = i, n;

		while (i < len && text[i] != ',' && text[i] != '\n' &&
		       text[i] != '\r')
			i++;
		n = i - start;
		user |= n == 4 && !strncasecmp(text + start, "user", 4);
		arn |= n == 3 && !strncasecmp(text + start, "arn", 3);
		if (i < len && text[i] == ',')
			i++;
	}
	return user && arn;
}

int aws_credreport_read_csv(struct aws_credential_report **out,
			    struct source *src, struct arena *arena,
			    struct strtab *strtab, struct diag *d)
{
	struct csv in;

	memset(&in, 0, sizeof(in));
	in.text = src->text;
	in.len = src->len;
	if (in.len >= 3 && !memcmp(in.text, "\xef\xbb\xbf", 3))
		in.pos = 3;
	in.src = src;
	in.d = d;
	in.arena = arena;
	in.strtab = strtab;
	*out = NULL;
	return read_csv(&in, out);
}

static int base64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int aws_base64_decode(struct buf *out, const char *s, size_t n, size_t *bad)
{
	size_t i, k;

	if (n % 4) {
		*bad = n;
		return -1;
	}
	for (i = 0; i < n; i += 4) {
		int v[4];
		size_t pad = 0;

		for (k = 0; k < 4; k++) {
			bool last_group = i + 4 == n;

			if (s[i + k] == '=' && last_group && k >= 2 &&
			    (k == 3 || s[i + 3] == '=')) {
				v[k] = 0;
				pad++;
				continue;
			}
			v[k] = base64_value(s[i + k]);
			if (v[k] < 0 || pad) {
				*bad = i + k;
				return -1;
			}
		}
		buf_addch(out, (char)(v[0] << 2 | v[1] >> 4));
		if (pad < 2)
			buf_addch(out, (char)((v[1] & 0xf) << 4 | v[2] >> 2));
		if (pad < 1)
			buf_addch(out, (char)((v[2] & 0x3) << 6 | v[3]));
	}
	return 0;
}

/* Parse one member's value; NULL after reporting. */
static cJSON *parse_member(struct source *src, const struct json_member *m,
			   struct diag *d)
{
	size_t err;
	cJSON *v = json_parse_span(src->text, m->value.off, m->value.len,
				   &err);

	if (!v) {
		struct loc loc = { src, (uint32_t)err, 0 };

		diag_at(d, DIAG_ERROR, &loc, "invalid JSON: cJSON failed to "
			"parse the value");
	}
	return v;
}

static const struct json_member *
find_member(const struct json_object_scan *scan, const char *key)
{
	size_t i;

	for (i = 0; i < scan->nmembers; i++)
		if (!strcmp(scan->members[i].key, key))
			return &scan->members[i];
	return NULL;
}

static int check_format(struct source *src, const struct json_object_scan *scan,
			struct diag *d)
{
	const struct json_member *m = find_member(scan, "ReportFormat");
	struct loc loc;
	cJSON *v;
	int ret = 0;

	if (!m)
		return 0;
	v = parse_member(src, m, d);
	if (!v)
		return -1;
	loc = (struct loc){ src, m->value.off, m->value.len };
	if (!cJSON_IsString(v) || strcmp(v->valuestring, "text/csv"))
		ret = -1;
	if (ret && cJSON_IsString(v))
		diag_at(d, DIAG_ERROR, &loc, "ReportFormat: expected "
			"\"text/csv\", got '%s'", v->valuestring);
	else if (ret)
		diag_at(d, DIAG_ERROR, &loc, "ReportFormat: expected "
			"\"text/csv\", got %s", json_type_name(v));
	cJSON_Delete(v);
	return ret;
}

/*
 * Decode Content into csv. CSV text contains a ',' or a line break, and
 * base64 contains neither.
 */
static int decode_content(const char *s, struct buf *csv, struct loc *loc,
			  struct diag *d)
{
	size_t n = strlen(s), bad;

	if (strchr(s, ',') || strchr(s, '\n')) {
		buf_add(csv, s, n);
		return 0;
	}
	if (!aws_base64_decode(csv, s, n, &bad))
		return 0;
	if (bad == n)
		diag_at(d, DIAG_ERROR, loc, "Content: neither CSV text nor "
			"base64: %zu characters is not a multiple of 4", n);
	else
		diag_at(d, DIAG_ERROR, loc, "Content: neither CSV text nor "
			"base64: invalid character at position %zu", bad + 1);
	return -1;
}

int aws_credreport_read_json(struct aws_credential_report **out,
			     struct source *src,
			     const struct json_object_scan *scan,
			     struct arena *arena, struct strtab *strtab,
			     struct diag *d)
{
	const struct json_member *m = find_member(scan, "Content");
	struct buf csv = BUF_INIT;
	struct csv in;
	cJSON *v = NULL;
	int ret = -1;

	*out = NULL;
	memset(&in, 0, sizeof(in));
	if (check_format(src, scan, d))
		return -1;
	if (!m)
		BUG("credential report without Content");
	in.content = (struct loc){ src, m->value.off, 0 };
	v = parse_member(src, m, d);
	if (!v)
		goto out;
	if (!cJSON_IsString(v)) {
		diag_at(d, DIAG_ERROR, &in.content, "Content: expected a "
			"string, got %s", json_type_name(v));
		goto out;
	}
	if (decode_content(v->valuestring, &csv, &in.content, d))
		goto out;
	in.text = buf_str(&csv);
	in.len = csv.len;
	in.src = src;
	in.d = d;
	in.wrapped = true;
	in.arena = arena;
	in.strtab = strtab;
	ret = read_csv(&in, out);
out:
	cJSON_Delete(v);
	buf_release(&csv);
	return ret;
}

static bool parse_digits(const char *s, size_t n, int *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Return the days from 1970-01-01 to the proleptic Gregorian date. */
static int64_t days_from_civil(int y, int m, int d)
{
	static const int before_month[] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
	};
	int64_t years = y - 1970;
	int64_t leaps = (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400 -
			(1969 / 4 - 1969 / 100 + 1969 / 400);

	return years * 365 + leaps + before_month[m - 1] +
	       (m > 2 && is_leap(y)) + d - 1;
}

/* Parse Z, +HH:MM or -HH:MM into seconds east of UTC. */
static bool parse_zone(const char *s, size_t n, int *seconds)
{
	int h, m;

	if (n == 1 && s[0] == 'Z') {
		*seconds = 0;
		return true;
	}
	if (n != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' ||
	    !parse_digits(s + 1, 2, &h) || !parse_digits(s + 4, 2, &m) ||
	    h > 23 || m > 59)
		return false;
	*seconds = (h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
	return true;
}

int aws_parse_time(const char *s, size_t n, int64_t *seconds)
{
	static const int month_days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int y, mo, d, h, mi, sec, zone;
	size_t i = 19;
	int64_t t;

	if (n < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':' ||
	    !parse_digits(s, 4, &y) || !parse_digits(s + 5, 2, &mo) ||
	    !parse_digits(s + 8, 2, &d) || !parse_digits(s + 11, 2, &h) ||
	    !parse_digits(s + 14, 2, &mi) || !parse_digits(s + 17, 2, &sec))
		return -1;
	if (s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (!parse_zone(s + i, n - i, &zone))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 ||
	    d > month_days[mo - 1] + (mo == 2 && is_leap(y)) ||
	    h > 23 || mi > 59 || sec > 60 || y < 1970)
		return -1;

	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    zone;
	if (t < 0)
		return -1;
	*seconds = t;
	return 0;
}

int aws_parse_timestamp(const char *s, size_t n, int32_t *days)
{
	int64_t t;

	if (aws_parse_time(s, n, &t))
		return -1;
	*days = (int32_t)(t / 86400);
	return 0;
}
