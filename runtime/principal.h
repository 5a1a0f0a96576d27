#ifndef MANDATE_RUNTIME_PRINCIPAL_H
#define MANDATE_RUNTIME_PRINCIPAL_H

#include "eval.h"

/*
 * The caller of a request, taken apart once, and the entries of a
 * Principal or NotPrincipal element that name it. Nothing here
 * allocates on the heap.
 */

enum principal_type {
	PRINCIPAL_USER,
	PRINCIPAL_ROLE,
	PRINCIPAL_SESSION,
	PRINCIPAL_FEDERATED_USER,
	PRINCIPAL_ROOT,
	PRINCIPAL_OTHER,	/* not IAM: a service, anonymous, ... */
};

/* The names of a caller. A Principal entry may name any of them. */
enum {
	NAME_SELF = 1,		/* its own ARN, service name or id */
	NAME_ROLE = 2,		/* the role of a session */
	NAME_ACCOUNT = 4,	/* its account */
};

struct principal {
	enum eval_principal_kind kind;
	const char *arn;	/* as the request names it; NULL: anonymous */
	enum principal_type type;
	unsigned names;		/* the NAME_ bits it goes by */
	char partition[32];
	char account[16];
	const char *role;	/* the role name of a role or session */
	size_t role_len;
};

/*
 * Fill out for the caller of the given kind. Returns false when an IAM
 * caller is not the ARN of a user, role, assumed-role session, federated
 * user or root. principal must outlive out.
 */
bool principal_parse(struct principal *out, enum eval_principal_kind kind,
		     const char *principal);

/* Return whether e is "*" or {"AWS": "*"}: everyone, even anonymous. */
bool principal_names_everyone(const struct aws_principal *e);

/*
 * Store in *sure the NAME_ bits of who that entry e names, and in *maybe
 * those it might name. IAM takes no wildcard in a principal but the lone
 * "*", so an entry that would name who when read as a pattern is only a
 * maybe.
 */
void principal_entry_names(const struct aws_principal *e,
			   const struct principal *who, unsigned *sure,
			   unsigned *maybe);

#endif
