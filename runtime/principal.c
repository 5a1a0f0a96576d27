#include "principal.h"

#include <stdio.h>
#include <string.h>

#include "match.h"

/* Copy the n bytes at s into out, of size size. False: too long. */
static bool copy_part(char *out, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/*
 * Split "arn:PARTITION:SERVICE::ACCOUNT:RESOURCE" into its six parts.
 * Returns false when s is not an ARN of that shape.
 */
static bool split_iam_arn(const char *s, const char *part[6], size_t len[6])
{
	int i;

	for (i = 0; i < 5; i++) {
		const char *colon = strchr(s, ':');

		if (!colon)
			return false;
		part[i] = s;
		len[i] = (size_t)(colon - s);
		s = colon + 1;
	}
	part[5] = s;
	len[5] = strlen(s);
	return len[0] == 3 && !memcmp(part[0], "arn", 3) && len[3] == 0 &&
	       len[4] == 12 && strspn(part[4], "0123456789") >= 12;
}

static bool part_is(const char *part, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(part, s, len);
}

static bool starts_with(const char *part, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len > n && !memcmp(part, prefix, n);
}

/*
 * Take an IAM principal's ARN apart. Returns false when it is not the
 * ARN of a user, role, assumed-role session, federated user or root.
 */
static bool parse_iam_principal(const char *arn, struct principal *p)
{
	const char *part[6], *res, *slash;
	size_t len[6], n;

	if (!split_iam_arn(arn, part, len) ||
	    !copy_part(p->partition, sizeof(p->partition), part[1], len[1]) ||
	    !copy_part(p->account, sizeof(p->account), part[4], len[4]))
		return false;
	res = part[5];
	n = len[5];
	p->names = NAME_SELF | NAME_ACCOUNT;
	if (part_is(part[2], len[2], "iam") && part_is(res, n, "root")) {
		p->type = PRINCIPAL_ROOT;
		p->names = NAME_ACCOUNT;
	} else if (part_is(part[2], len[2], "iam") &&
		   starts_with(res, n, "user/")) {
		p->type = PRINCIPAL_USER;
	} else if (part_is(part[2], len[2], "iam") &&
		   starts_with(res, n, "role/")) {
		p->type = PRINCIPAL_ROLE;
		p->role = strrchr(res, '/') + 1;
		p->role_len = strlen(p->role);
	} else if (part_is(part[2], len[2], "sts") &&
		   starts_with(res, n, "assumed-role/")) {
		p->type = PRINCIPAL_SESSION;
		p->names |= NAME_ROLE;
		p->role = res + 13;
		slash = strchr(p->role, '/');
		if (!slash || slash == p->role || !slash[1])
			return false;
		p->role_len = (size_t)(slash - p->role);
	} else if (part_is(part[2], len[2], "sts") &&
		   starts_with(res, n, "federated-user/")) {
		p->type = PRINCIPAL_FEDERATED_USER;
	} else {
		return false;
	}
	return true;
}

/*
 * Return the NAME_ bits that the AWS Principal entry value names for
 * p. An ARN of a role names the sessions of that role too.
 */
static unsigned aws_entry_names(const char *value, const struct principal *p)
{
	const char *part[6];
	size_t len[6];

	if (p->type == PRINCIPAL_OTHER)
		return 0;
	if (!strcmp(value, p->arn))
		return p->type == PRINCIPAL_ROOT ? NAME_ACCOUNT : NAME_SELF;
	if (!strcmp(value, p->account))
		return NAME_ACCOUNT;
	if (!split_iam_arn(value, part, len) ||
	    !part_is(part[1], len[1], p->partition) ||
	    !part_is(part[4], len[4], p->account) ||
	    !part_is(part[2], len[2], "iam"))
		return 0;
	if (part_is(part[5], len[5], "root"))
		return NAME_ACCOUNT;
	if (p->type == PRINCIPAL_SESSION && starts_with(part[5], len[5],
							"role/")) {
		const char *name = strrchr(part[5], '/') + 1;

		if (strlen(name) == p->role_len &&
		    !memcmp(name, p->role, p->role_len))
			return NAME_ROLE;
	}
	return 0;
}

/*
 * Return whether a Principal entry with a wildcard could name p. IAM
 * takes no wildcard in a principal but the lone "*", so such an entry
 * is undecided when, read as a pattern, it would name the caller.
 */
static unsigned wildcard_entry_names(const char *value,
				     const struct principal *p)
{
	char arn[MATCH_MAX];

	if (match_resource(value, p->arn))
		return p->names & NAME_SELF ? NAME_SELF : NAME_ACCOUNT;
	if (p->type == PRINCIPAL_OTHER)
		return 0;
	snprintf(arn, sizeof(arn), "arn:%s:iam::%s:root", p->partition,
		 p->account);
	if (match_resource(value, arn))
		return NAME_ACCOUNT;
	if (p->type != PRINCIPAL_SESSION)
		return 0;
	/* A session's ARN leaves out its role's path, so any path may do. */
	snprintf(arn, sizeof(arn), "arn:%s:iam::%s:role/*%.*s",
		 p->partition, p->account, (int)p->role_len, p->role);
	return match_resource_overlap(value, arn) ? NAME_ROLE : 0;
}

bool principal_names_everyone(const struct aws_principal *e)
{
	return !strcmp(e->type, "*") ||
	       (!strcmp(e->type, "AWS") && !strcmp(e->value, "*"));
}

void principal_entry_names(const struct aws_principal *e,
			   const struct principal *who, unsigned *sure,
			   unsigned *maybe)
{
	*sure = *maybe = 0;
	if (principal_names_everyone(e)) {
		*sure = who->names;
		return;
	}
	if (!who->arn)
		return;
	if (!strcmp(e->type, "AWS")) {
		if (strpbrk(e->value, "*?"))
			*maybe = wildcard_entry_names(e->value, who);
		else if (who->kind == EVAL_PRINCIPAL_IAM)
			*sure = aws_entry_names(e->value, who);
		return;
	}
	if ((!strcmp(e->type, "Service") &&
	     who->kind == EVAL_PRINCIPAL_SERVICE) ||
	    (!strcmp(e->type, "Federated") &&
	     who->kind == EVAL_PRINCIPAL_FEDERATED) ||
	    (!strcmp(e->type, "CanonicalUser") &&
	     who->kind == EVAL_PRINCIPAL_CANONICAL_USER))
		*sure = strcmp(e->value, who->arn) ? 0 : NAME_SELF;
}

bool principal_parse(struct principal *out, enum eval_principal_kind kind,
		     const char *principal)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->arn = principal;
	out->type = PRINCIPAL_OTHER;
	out->names = NAME_SELF;
	if (kind != EVAL_PRINCIPAL_IAM)
		return true;
	return principal && parse_iam_principal(principal, out);
}
