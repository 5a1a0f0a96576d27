#ifndef MANDATE_COMPILER_AWS_POLICY_H
#define MANDATE_COMPILER_AWS_POLICY_H

#include "aws.h"
#include "json.h"

/*
 * IAM policy documents read into struct aws_policy_doc, checked against
 * the IAM JSON policy grammar as IAM itself applies it when it accepts
 * a policy:
 *
 * - Version is "2012-10-17" or "2008-10-17", or absent (NULL);
 * - Statement is one statement object or an array of them;
 * - Effect is exactly "Allow" or "Deny";
 * - exactly one of Action and NotAction, each a string or an array of
 *   strings (an empty array is kept as zero actions);
 * - identity policies have exactly one of Resource and NotResource and
 *   no Principal; trust policies have exactly one of Principal and
 *   NotPrincipal and no Resource; other resource-based policies have
 *   exactly one of Principal and NotPrincipal and at most one of
 *   Resource and NotResource (a statement without either applies to
 *   the resource the policy is attached to);
 * - Principal is "*" or an object whose keys are AWS, Service,
 *   Federated or CanonicalUser, each with a string or an array of them;
 * - Condition maps an operator to {key: value or array of values};
 *   booleans and numbers are kept as their text ("true", "10"). An
 *   operator IAM does not define is kept with a warning, because IAM
 *   itself accepted the export and may know operators newer than ours.
 *
 * Unknown elements and duplicate keys are errors. All strings are
 * interned in the given strtab; the document lives in the given arena.
 */
enum aws_policy_kind {
	AWS_POLICY_IDENTITY,	/* attached to a user, group or role */
	AWS_POLICY_TRUST,	/* a role's AssumeRolePolicyDocument */
	AWS_POLICY_RESOURCE,	/* a bucket, key or queue policy */
};

/*
 * Convert v, the document at c's path: a JSON object, or a string that
 * contains the document as JSON text or as percent-encoded JSON text,
 * as the IAM API returns it ('+' decodes to a space). A string is decoded
 * exactly once. Errors name c->what and point into the export, with a
 * note giving the line and column inside a decoded document. Returns 0,
 * or -1 after reporting to c->d.
 */
int aws_policy_from_json(struct aws_policy_doc **out, struct json_ctx *c,
			 const cJSON *v, enum aws_policy_kind kind,
			 struct arena *arena, struct strtab *strtab);

/*
 * Read a standalone policy document: src's whole text is one JSON
 * object (or a string holding one). Returns 0, or -1 after reporting
 * to d.
 */
int aws_policy_parse_source(struct aws_policy_doc **out, struct source *src,
			    enum aws_policy_kind kind, struct arena *arena,
			    struct strtab *strtab, struct diag *d);

/*
 * Append the percent-decoding of the n bytes at s to out, with '+' as a
 * space. Returns 0, or -1 with the offset of a '%' that is not followed
 * by two hex digits in *bad.
 */
int aws_url_decode(struct buf *out, const char *s, size_t n, size_t *bad);

/* Return whether op is an IAM condition operator, prefixes included. */
bool aws_condition_operator_valid(const char *op);

/*
 * Return whether IAM substitutes policy variables in doc: only in a
 * document whose Version is "2012-10-17". In one without a Version or
 * of "2008-10-17", "${aws:username}" is literal text.
 */
bool aws_policy_has_variables(const struct aws_policy_doc *doc);

/*
 * Return text with each "${" written "${$}{", IAM's escape for a
 * literal '$', so that it means under Version 2012-10-17 what it means
 * as literal text. Returns text itself when it contains no "${", else a
 * copy from arena.
 */
const char *aws_policy_escape_variables(struct arena *arena,
					const char *text);

/*
 * Return doc as it reads under Version 2012-10-17: for a document in
 * which IAM substitutes no variables, a copy whose resources and
 * condition values are escaped by aws_policy_escape_variables. A
 * statement that needs no escape keeps its resources and conditions
 * arrays, so a caller can tell which changed by comparing pointers.
 * Returns doc itself when nothing changes; a copy comes from arena.
 * The copy's Version is still doc's.
 */
const struct aws_policy_doc *
aws_policy_as_2012(struct arena *arena, const struct aws_policy_doc *doc);

/*
 * Return text with each policy variable "${key}" (key compared
 * ignoring case, without a default) replaced by value, in which '*',
 * '?' and '$' are written as IAM's escapes "${*}", "${?}" and "${$}".
 * Escapes and other variables stay as they are. Returns text itself
 * when nothing is replaced, else a copy from arena.
 */
const char *aws_policy_substitute(struct arena *arena, const char *text,
				  const char *key, const char *value);

#endif
