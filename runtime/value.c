#include "value.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "match.h"

/*
 * A decimal number as IAM's numeric operators take it: an optional '-',
 * digits, and optional '.' with digits. The digits are kept as text, so
 * comparison is exact at any length.
 */
struct decimal {
	bool negative;
	const char *whole;	/* without leading zeros */
	size_t whole_len;
	const char *frac;	/* without trailing zeros */
	size_t frac_len;
};

static bool parse_decimal(const char *s, struct decimal *d)
{
	const char *p = s;

	d->negative = *p == '-';
	if (d->negative)
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p == '0')
		p++;
	d->whole = p;
	while (*p >= '0' && *p <= '9')
		p++;
	d->whole_len = (size_t)(p - d->whole);
	d->frac = p;
	d->frac_len = 0;
	if (*p == '.') {
		d->frac = ++p;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
		d->frac_len = (size_t)(p - d->frac);
		while (d->frac_len && d->frac[d->frac_len - 1] == '0')
			d->frac_len--;
	}
	if (*p)
		return false;
	if (!d->whole_len && !d->frac_len)
		d->negative = false;	/* -0 is 0 */
	return true;
}

/* Return <0, 0 or >0 as |a| is less than, equal to or greater than |b|. */
static int compare_magnitude(const struct decimal *a, const struct decimal *b)
{
	size_t i;
	int c;

	if (a->whole_len != b->whole_len)
		return a->whole_len < b->whole_len ? -1 : 1;
	c = memcmp(a->whole, b->whole, a->whole_len);
	if (c)
		return c;
	for (i = 0; i < a->frac_len || i < b->frac_len; i++) {
		char x = i < a->frac_len ? a->frac[i] : '0';
		char y = i < b->frac_len ? b->frac[i] : '0';

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

static int compare_decimal(const struct decimal *a, const struct decimal *b)
{
	if (a->negative != b->negative)
		return a->negative ? -1 : 1;
	return a->negative ? -compare_magnitude(a, b) : compare_magnitude(a, b);
}

/* A point in time: seconds since 1970 (UTC) and nanoseconds. */
struct instant {
	int64_t seconds;
	int32_t nanos;
};

static bool digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Parse "Z", "+hh:mm" or "-hh:mm" into seconds east of UTC. */
static bool parse_zone(const char **p, int *offset)
{
	int h, m, sign;

	if (**p == 'Z') {
		(*p)++;
		*offset = 0;
		return true;
	}
	if (**p != '+' && **p != '-')
		return false;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!digits(p, 2, &h) || *(*p)++ != ':' || !digits(p, 2, &m) ||
	    h > 23 || m > 59)
		return false;
	*offset = sign * (h * 3600 + m * 60);
	return true;
}

/* Parse the time part "hh:mm[:ss[.s...]]TZD" after the 'T'. */
static bool parse_time(const char *p, int64_t *seconds, int32_t *nanos)
{
	int h, m, s = 0, offset;
	int32_t scale = 100000000;

	*nanos = 0;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &m) ||
	    h > 23 || m > 59)
		return false;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &s) || s > 59)
			return false;
		if (*p == '.') {
			if (*++p < '0' || *p > '9')
				return false;
			for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
				*nanos += (int32_t)(*p - '0') * scale;
		}
	}
	if (!parse_zone(&p, &offset) || *p)
		return false;
	*seconds = (int64_t)h * 3600 + m * 60 + s - offset;
	return true;
}

/*
 * Parse a date as IAM's date operators take it: epoch seconds, or one
 * of the W3C profiles of ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD, and with
 * "Thh:mm", seconds and fractions, each with a zone). Four digits alone
 * could be a year or a time in 1970, so they are not read at all.
 */
static bool parse_date(const char *s, struct instant *out)
{
	const char *p = s;
	size_t n = strlen(s);
	int y, m = 1, d = 1;
	int64_t day_seconds = 0;
	int32_t nanos = 0;

	if (n && strspn(s, "0123456789") == n) {
		if (n == 4 || n > 15)
			return false;
		out->seconds = 0;
		for (; *p; p++)
			out->seconds = out->seconds * 10 + (*p - '0');
		out->nanos = 0;
		return true;
	}
	if (!digits(&p, 4, &y))
		return false;
	if (*p == '-' && (p++, !digits(&p, 2, &m) || m < 1 || m > 12))
		return false;
	if (p - s == 7 && *p == '-' &&
	    (p++, !digits(&p, 2, &d) || d < 1 || d > days_in_month(y, m)))
		return false;
	if (p - s == 10 && *p == 'T' &&
	    !parse_time(p + 1, &day_seconds, &nanos))
		return false;
	if (*p && (p - s != 10 || *p != 'T'))
		return false;
	out->seconds = days_from_civil(y, m, d) * 86400 + day_seconds;
	out->nanos = nanos;
	return true;
}

static int compare_instant(const struct instant *a, const struct instant *b)
{
	if (a->seconds != b->seconds)
		return a->seconds < b->seconds ? -1 : 1;
	if (a->nanos != b->nanos)
		return a->nanos < b->nanos ? -1 : 1;
	return 0;
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

/* Decode padded standard base64; -1 when it is not, or too long. */
static long base64_decode(const char *s, unsigned char *out, size_t size)
{
	size_t n = strlen(s), i, len = 0;

	if (n % 4 || n / 4 * 3 > size)
		return -1;
	for (i = 0; i < n; i += 4) {
		int v[4], j, pad = 0;

		for (j = 0; j < 4; j++) {
			bool last = i + 4 == n;

			if (s[i + j] == '=' && last && j >= 2 &&
			    (j == 3 || s[i + 3] == '=')) {
				v[j] = 0;
				pad++;
				continue;
			}
			v[j] = base64_value(s[i + j]);
			if (v[j] < 0 || pad)
				return -1;
		}
		out[len++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[len++] = (unsigned char)((v[1] & 15) << 4 |
						     v[2] >> 2);
		if (pad < 1)
			out[len++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return (long)len;
}

/* An address or CIDR block: family, 16 bytes, prefix length in bits. */
struct ip_block {
	int family;
	unsigned char addr[16];
	int prefix;
};

static bool parse_ip(const char *s, bool cidr, struct ip_block *out)
{
	char text[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int max;

	if (n >= sizeof(text) || (slash && !cidr))
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	out->family = strchr(text, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(out->family, text, out->addr) != 1)
		return false;
	max = out->family == AF_INET ? 32 : 128;
	out->prefix = max;
	if (slash) {
		const char *p = slash + 1;
		size_t len = strlen(p);

		if (!len || len > 3 || strspn(p, "0123456789") != len ||
		    (p[0] == '0' && len > 1) || !digits(&p, (int)len,
							&out->prefix) ||
		    out->prefix > max)
			return false;
	}
	return true;
}

static bool ip_in_block(const struct ip_block *ip, const struct ip_block *b)
{
	int bits = b->prefix, i;

	if (ip->family != b->family)
		return false;
	for (i = 0; bits > 0; i++, bits -= 8) {
		unsigned mask = bits >= 8 ? 0xffu
					  : (0xffu << (8 - bits)) & 0xffu;

		if ((ip->addr[i] & mask) != (b->addr[i] & mask))
			return false;
	}
	return true;
}

bool value_compare_decimal(const char *a, const char *b, int *cmp)
{
	struct decimal x, y;

	if (!parse_decimal(a, &x) || !parse_decimal(b, &y))
		return false;
	*cmp = compare_decimal(&x, &y);
	return true;
}

bool value_compare_date(const char *a, const char *b, int *cmp)
{
	struct instant x, y;

	if (!parse_date(a, &x) || !parse_date(b, &y))
		return false;
	*cmp = compare_instant(&x, &y);
	return true;
}

bool value_binary_equal(const char *a, const char *b, bool *equal)
{
	unsigned char x[MATCH_MAX], y[MATCH_MAX];
	long nx = base64_decode(a, x, sizeof(x));
	long ny = base64_decode(b, y, sizeof(y));

	if (nx < 0 || ny < 0)
		return false;
	*equal = nx == ny && !memcmp(x, y, (size_t)nx);
	return true;
}

bool value_ip_in_block(const char *ip, const char *block, bool *in)
{
	struct ip_block address, range;

	if (!parse_ip(ip, false, &address) || !parse_ip(block, true, &range))
		return false;
	*in = ip_in_block(&address, &range);
	return true;
}
