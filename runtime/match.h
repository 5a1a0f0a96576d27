#ifndef MANDATE_RUNTIME_MATCH_H
#define MANDATE_RUNTIME_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Patterns and resources longer than this many characters never match
 * and are never proved covered, but the overlap tests return true for
 * them, because overlap cannot be ruled out. IAM limits a resource ARN
 * to 2,048 characters, so callers reject longer input.
 */
#define MATCH_MAX 2048

/*
 * IAM's matching of action names and resource ARNs, shared by the
 * compiler (catalog expansion, drift) and the runtime library, so that
 * compile time and run time agree. Nothing here prints, and only
 * match_template_new and match_pattern_new allocate.
 *
 * Actions: "service:Name", compared case-insensitively (ASCII); '*' is
 * any run of characters, '?' exactly one; anchored at both ends.
 *
 * Resources: case-sensitive. '*' is any run of characters within one
 * colon-separated ARN segment, including '/'; a '*' that is the last
 * character of a segment may also run past ':'. '?' is exactly one
 * character other than ':' (one UTF-8 code point, not one byte). No
 * other character is special. A pattern of exactly "*" matches every
 * resource.
 *
 * Characters are UTF-8 code points in shortest form. A byte that does
 * not begin one counts as a character of its own and equals only the
 * same byte.
 *
 * Each call decides in time proportional to the product of the two
 * lengths, with no backtracking, and uses about 40 KiB of stack.
 */

/* Return whether action matches the action pattern. */
bool match_action(const char *pattern, const char *action);

/* Return whether the concrete resource ARN matches the pattern. */
bool match_resource(const char *pattern, const char *resource);

/*
 * Return whether some resource matches both patterns. Used to decide
 * whether a grant's pattern can name a resource of a catalog type.
 */
bool match_resource_overlap(const char *a, const char *b);

/*
 * Return whether some resource matches both the pattern and an ARN
 * template of the AWS catalog, such as
 * "arn:${Partition}:s3:::${BucketName}/${ObjectName}". A variable stands
 * for a non-empty run without '/' or ':', except a variable that names
 * a path, which may hold '/', and ':' too when it ends the template.
 * Paths are the names ending in Path and ObjectName, ObjectKey, Key,
 * LogGroupName, LogStreamName, SecretId, ParameterNameWithoutLeadingSlash,
 * RepositoryName, Alias, TopicName and TopicFilter. A '*' in a template
 * is a wildcard, as in a pattern; '?' is literal there.
 */
bool match_template_overlap(const char *pattern, const char *arn_template);

/*
 * An ARN template tokenized once, for comparing it with many patterns.
 * match_template_new returns NULL when the template is longer than
 * MATCH_MAX characters or memory runs out. match_template_free accepts
 * NULL.
 */
struct match_template;
struct match_template *match_template_new(const char *arn_template);
void match_template_free(struct match_template *t);

/* Return match_template_overlap(pattern, the template t was made of). */
bool match_template_overlap_with(const char *pattern,
				 const struct match_template *t);

/*
 * A resource pattern tokenized once, for comparing it with many
 * templates. match_pattern_new returns NULL when the pattern is longer
 * than MATCH_MAX characters or memory runs out: use
 * match_template_overlap_with then. match_pattern_free accepts NULL.
 */
struct match_pattern;
struct match_pattern *match_pattern_new(const char *pattern);
void match_pattern_free(struct match_pattern *p);

/* Return match_template_overlap_with(the pattern p was made of, t). */
bool match_pattern_overlap(const struct match_pattern *p,
			   const struct match_template *t);

/*
 * Return match_resource_covers(the patterns outer and inner were made
 * of), without tokenizing them again.
 */
bool match_pattern_covers(const struct match_pattern *outer,
			  const struct match_pattern *inner);

/*
 * Anchors index the patterns that may cover others. A pattern starts
 * with its literal prefix, the characters before its first wildcard
 * ('*', '?' or a policy variable). Each literal character of an outer
 * pattern must match the same literal character of inner, so outer can
 * cover inner only when inner starts with outer's prefix and, at or
 * after the end of that prefix, contains outer's longest run of literal
 * characters after it. The anchor is the prefix and at most
 * MATCH_ANCHOR_MAX characters of that run, hashed.
 */
#define MATCH_ANCHOR_MAX 8

struct match_anchor {
	size_t prefix;		/* characters in the literal prefix */
	size_t len;		/* characters taken from the run, or 0 */
	uint64_t hash;		/* of seed, the prefix and those characters */
};

/* Fill out with the anchor of outer, its hash started from seed. */
void match_pattern_anchor(struct match_anchor *out,
			  const struct match_pattern *outer, uint64_t seed);

typedef bool (*match_anchor_fn)(void *arg, uint64_t hash);

/*
 * Call fn with the hash of every anchor with this prefix and len that a
 * pattern covering inner could have, seeded as match_pattern_anchor's.
 * Stops at the first call that returns true and returns true, or
 * returns false after the last. The calls number at most the
 * characters of inner, and none when inner's literal prefix is shorter
 * than prefix.
 */
bool match_pattern_each_anchor(const struct match_pattern *inner,
			       size_t prefix, size_t len, uint64_t seed,
			       match_anchor_fn fn, void *arg);

/*
 * Return whether some resource matches both patterns and the ARN
 * template, whose variables are read as for match_template_overlap.
 * Used to decide whether two patterns can name one resource of a type.
 * True when unsure, which is when the second pattern's and the
 * template's token counts, each plus one, multiply past 16,384. Uses
 * about 90 KiB of stack.
 */
bool match_resource_overlap_in(const char *a, const char *b,
			       const char *arn_template);

/*
 * Return whether every resource that inner matches is also matched by
 * outer. The check is sound but not complete: true is a proof, false
 * means "not proved" (for example, odd combinations of wildcards).
 */
bool match_resource_covers(const char *outer, const char *inner);

/* The same proof for action patterns, case-insensitively. */
bool match_action_covers(const char *outer, const char *inner);

#endif
