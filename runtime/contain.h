#ifndef MANDATE_RUNTIME_CONTAIN_H
#define MANDATE_RUNTIME_CONTAIN_H

#include "policy.h"

/*
 * Proof that a candidate set of policy statements grants nothing beyond
 * a reference set. Every request that the candidate allows must be
 * allowed by the reference. A set allows a request when one of its
 * Allow statements applies and none of its Deny statements does.
 *
 * The proof is sound, not complete. A proof holds for every request,
 * but "not proved" may be reported for a candidate that grants nothing
 * new, for example when two reference statements together cover one
 * candidate resource that neither covers alone. Each (action, resource)
 * of a candidate Allow statement is proved separately:
 *
 * - Allow: one reference Allow statement names the action, covers the
 *   resource pattern (runtime/match.h), admits the candidate's
 *   principals (resource policies only) and has conditions that the
 *   candidate statement's conditions imply.
 * - Deny: a reference Deny statement may apply to the action on an
 *   overlapping resource (one that the options' overlap function
 *   accepts, when given). Each such statement must be matched by a
 *   candidate Deny statement that names the action and covers that
 *   resource or the reference deny's resources. The candidate deny
 *   must also apply whenever the reference deny applies, so its
 *   conditions must be implied by those of the reference deny.
 * - A candidate (action, resource) that an unconditional candidate Deny
 *   statement covers entirely allows nothing, so it needs no proof.
 *
 * A condition is implied only by a condition of the same operator and
 * key whose values make it hold: for operators that hold when the
 * request's value equals or matches one of the listed values, the
 * implying condition's values are a subset of the implied one's; for
 * negated operators (StringNotEquals, NotIpAddress, ...) a superset.
 * A condition without IfExists also implies the same condition with
 * IfExists. Values are compared as text, so "${aws:username}" implies
 * only "${aws:username}". Anything else is not proved.
 *
 * Principals match by type and value, and an account id equals its
 * root ARN. An account may stand for every principal in it, so it
 * overlaps each of them, but it covers none of them but itself.
 *
 * Action wildcards and NotAction are expanded against the list of
 * concrete actions in the options (the AWS catalog, for the compiler):
 * proofs hold for the actions of that list. A literal candidate action
 * missing from the list is still checked, by name. Policy variables in
 * resources are handled by runtime/match.h: a reference "${...}" covers
 * only the same variable.
 *
 * Nothing here prints; allocation failures return -1. A struct contain
 * may be reused for many candidate and reference sets, but not from two
 * threads at once. The policies passed in are borrowed and must outlive
 * the calls that use them.
 */

/* A policy document and the name reviewers see in messages. */
struct contain_policy {
	const char *name;	/* "inline:ops", a policy ARN, a spec path */
	const struct aws_policy_doc *doc;
};

enum contain_kind {
	/* Identity policies: Principal is ignored, and no Resource grants nothing. */
	CONTAIN_IDENTITY,
	/*
	 * Resource policies and trust policies of one resource. Principals
	 * are compared. A statement without Resource or NotResource applies
	 * to that resource, so it counts as "*".
	 */
	CONTAIN_RESOURCE,
};

/*
 * Return whether the action with index action in contain_options'
 * actions can act on a resource that pattern names. False means that
 * the candidate grants nothing on that pair.
 */
typedef bool (*contain_applies_fn)(void *ctx, size_t action,
				   const char *pattern);

/*
 * Return whether some resource that the action with index action can
 * act on matches both patterns. False means that a reference Deny on
 * one cannot reach a candidate grant on the other.
 */
typedef bool (*contain_overlap_fn)(void *ctx, size_t action, const char *a,
				   const char *b);

/* Return the name of the concrete action with index action. */
typedef const char *(*contain_name_fn)(void *ctx, size_t action);

/*
 * Return the index of the concrete action at position i of the order
 * of names folded to lower case (contain_options' sorted).
 */
typedef uint32_t (*contain_sorted_fn)(void *ctx, size_t i);

/*
 * Return the index of the concrete action called name, ignoring case,
 * or CONTAIN_NOT_LISTED.
 */
typedef size_t (*contain_find_fn)(void *ctx, const char *name);

struct contain_options {
	enum contain_kind kind;
	/*
	 * Every concrete action, in any order: the array actions, or when
	 * it is NULL, the function name.
	 */
	const char *const *actions;
	contain_name_fn name;
	void *name_ctx;
	size_t nactions;
	/*
	 * Optional, for a list that outlives one contain: the action
	 * indexes in order of their names folded to lower case (names
	 * equal but for case in index order), and find to look a name up.
	 * Without them, contain_new sorts and indexes the names itself.
	 */
	const uint32_t *sorted;
	contain_sorted_fn sorted_at;	/* instead of sorted, read on demand */
	void *sorted_ctx;
	contain_find_fn find;
	void *find_ctx;
	contain_applies_fn applies;	/* NULL: every pair applies */
	void *applies_ctx;
	/* NULL: patterns overlap when some string matches both. */
	contain_overlap_fn overlap;
	void *overlap_ctx;
	/*
	 * Names in reasons. NULL gives "the reference", "the candidate" and
	 * "the action list".
	 */
	const char *reference_label;
	const char *candidate_label;
	const char *actions_label;
};

/* The cause of a candidate (action, resource) not being proved. */
enum contain_why {
	CONTAIN_NO_ACTION,	/* no reference Allow names the action */
	CONTAIN_NARROWER,	/* named, but on resources that do not cover it */
	CONTAIN_PRINCIPAL,	/* covered, but not for the candidate's principals */
	CONTAIN_CONDITION,	/* covered, but under conditions not implied */
	CONTAIN_DENIED,		/* a reference Deny applies and no candidate Deny matches it */
};

#define CONTAIN_NOT_LISTED ((size_t)-1)

/* One candidate (action, resource) that is not proved. */
struct contain_gap {
	enum contain_why why;
	const struct contain_policy *policy;	/* candidate's */
	const struct aws_statement *stmt;	/* candidate's Allow */
	const char *action;			/* a concrete action */
	size_t action_index;	/* into the options' actions, or CONTAIN_NOT_LISTED */
	const char *resource;	/* the candidate's pattern; "*" for NotResource */
	/* The reference statement concerned, when one is; else NULL. */
	const struct contain_policy *ref_policy;
	const struct aws_statement *ref_stmt;
	const struct aws_condition *ref_cond;	/* for CONTAIN_CONDITION */
	char reason[384];	/* one line for a reviewer, never empty */
};

/* Called with each gap; returning nonzero stops the check. */
typedef int (*contain_gap_fn)(void *ctx, const struct contain_gap *gap);

struct contain;

/*
 * Make a prover for the given options; the action list is copied as
 * pointers, so its strings must outlive the prover. Returns 0, or -1
 * when memory runs out.
 */
int contain_new(struct contain **out, const struct contain_options *opt);
void contain_free(struct contain *c);

/*
 * Index the reference set, replacing the previous one. Returns 0, or
 * -1 when memory runs out , and the prover then has no reference set.
 */
int contain_set_reference(struct contain *c,
			  const struct contain_policy *ref, size_t n);

/*
 * Index the candidate set's Deny statements, replacing the previous
 * candidate set. Returns 0, or -1 when memory runs out.
 */
int contain_set_candidate(struct contain *c,
			  const struct contain_policy *cand, size_t n);

/*
 * Check statement stmt of candidate policy policy (indexes into the set
 * given to contain_set_candidate) against the reference set, calling fn
 * for every (action, resource) that is not proved, in order of resource
 * and then of action. A Deny statement has no gaps. Returns the number
 * of gaps reported, or -1 when memory runs out or when no candidate
 * statement has those indexes.
 */
int contain_check_statement(struct contain *c, size_t policy, size_t stmt,
			    contain_gap_fn fn, void *ctx);

/*
 * Prove that the candidate set grants nothing beyond the reference set.
 * Returns 1 when proved; 0 when not, with the first gap in *gap; or -1
 * when memory runs out. Replaces the prover's candidate set.
 */
int contain_prove(struct contain *c, const struct contain_policy *cand,
		  size_t n, struct contain_gap *gap);

#endif
