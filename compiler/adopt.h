#ifndef MANDATE_COMPILER_ADOPT_H
#define MANDATE_COMPILER_ADOPT_H

#include "aws.h"
#include "buf.h"
#include "catalog.h"

/*
 * Starting specs for live identities (`mandate adopt`). The spec of a
 * user or role grants, by explicit actions on resource patterns, what
 * its live policies allow: inline policies, attached managed policies
 * at their default version and, for a user, its groups' policies. Each
 * live statement becomes a grant or a deny with the `when` conditions
 * that the language can write exactly. Statements that agree on
 * resources and conditions are merged. Where the language cannot say what the
 * live policy says, the spec errs toward covering the live access (a
 * broader grant, a missing deny) and a comment says so:
 *
 * - NotAction is expanded through the catalog to every other action;
 * - NotResource becomes "*" in a grant, and drops a deny;
 * - a condition without an exact `when` (IfExists operators, Null, a
 *   key the catalog lacks) is left out of a grant, and drops a deny;
 * - actions that the catalog does not know cannot be granted;
 * - of a permissions boundary with conditions, NotResource or an Allow
 *   on resources other than "*", grants follow only the actions;
 * - trust principals that trusted_by cannot write (a Federated
 *   principal named by host, such as "accounts.google.com"), trust
 *   conditions and actions other than the assume action are left out.
 *
 * Where the live access is narrower than the identity policies, the
 * grants follow it: actions that the permissions boundary does not
 * allow, or that a live deny without conditions takes away on all the
 * grant's resources, are left out with a comment. A policy
 * without Version 2012-10-17 has its "${" written "${$}{", so that the
 * spec's 2012-10-17 policies read it as the same literal text.
 *
 * With service-last-accessed data for the identity, the actions that
 * rule MND230 would report as unused are left out and listed in a
 * comment. Owners, justification, review and expiry are left for a
 * person, as commented lines marked TODO, so that `mandate check`
 * fails on the spec until they are filled in.
 *
 * The output depends only on the exports and the catalog: grants,
 * actions, resources and conditions are sorted.
 */

struct adopt_summary {
	size_t ngrants;		/* grant and deny items written */
	size_t nleft_out;	/* services and actions left out as unused */
	size_t ninexact;	/* comments about what could not be written */
};

/*
 * Append the spec of e, a user or role of st, to out. Returns 0, or -1
 * after reporting to d that e cannot be adopted: a group, an ARN that a
 * spec cannot name, or a spec over SOURCE_SPEC_MAX bytes, which no
 * command would read. After -1, out may hold part of a spec, which the
 * caller must not write. Policies and groups missing from the export
 * are named in a comment of the spec; the importer has warned of them.
 */
int adopt_write(struct buf *out, const struct aws_state *st,
		const struct catalog *cat, const struct aws_entity *e,
		struct adopt_summary *summary, struct diag *d);

#endif
