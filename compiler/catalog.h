#ifndef MANDATE_COMPILER_CATALOG_H
#define MANDATE_COMPILER_CATALOG_H

#include "actset.h"
#include "ast.h"

struct diag;

/*
 * The AWS action catalog from stdlib/aws: every service prefix, action,
 * access level, resource type with its ARN template, and condition key
 * with its type. Each action has a dense id, 0 to count - 1, so action
 * sets are bitsets. Ids follow the catalog file: services in order of
 * prefix, and a service's actions in order of lower-cased name. Output
 * sorted by id is therefore stable, but not sorted by full name, as
 * "s3-outposts:GetObject" comes after "s3:GetObject".
 *
 * Everything returned is owned by the catalog and lives until
 * catalog_free.
 */
struct catalog;
struct cat_service;

enum cond_type {
	COND_TYPE_STRING,
	COND_TYPE_ARN,
	COND_TYPE_NUMERIC,
	COND_TYPE_DATE,
	COND_TYPE_BOOL,
	COND_TYPE_IP,
	COND_TYPE_BINARY,
};

struct cat_resource_type {
	const char *name;		/* "object" */
	const char *arn;		/* "arn:${Partition}:s3:::${BucketName}/${ObjectName}" */
	const char *pattern;		/* the template as a resource pattern */
};

struct cat_action {
	uint32_t id;
	const char *name;		/* "s3:GetObject", canonical case */
	const struct cat_service *service;
	enum access_level level;
	const struct cat_resource_type *const *rtypes;
	uint32_t nrtypes;		/* 0: supports only resource "*" */
	const char *const *condition_keys;
	uint32_t nconditions;
};

struct cat_service {
	const char *prefix;		/* "s3" */
	const char *title;		/* "Amazon S3" */
	uint32_t first, count;		/* its actions' id range */
};

struct cat_condition_key {
	const char *name;		/* "aws:RequestTag/${TagKey}" */
	enum cond_type type;
	bool multivalued;		/* ArrayOf... in the catalog */
};

/*
 * Load the catalog file at path. Returns 0, or -1 after reporting to d
 * a message that names the file and the line that is malformed.
 */
int catalog_load(struct catalog **out, const char *path, struct diag *d);
void catalog_free(struct catalog *c);

/* The data set and version the catalog was generated from. */
const char *catalog_source(const struct catalog *c);

uint32_t catalog_count(const struct catalog *c);
const struct cat_action *catalog_action(const struct catalog *c,
					uint32_t id);

/* Look up "service:Action" case-insensitively; NULL when unknown. */
const struct cat_action *catalog_find_action(const struct catalog *c,
					     const char *name);

/* Look up a service prefix case-insensitively; NULL when unknown. */
const struct cat_service *catalog_find_service(const struct catalog *c,
					       const char *prefix);

/*
 * Add to out every action that the IAM action pattern matches ('*' and
 * '?' anywhere, case-insensitive). Returns the number of catalog
 * actions matched, or -1 when pattern is not "*" and has no ':'.
 */
int catalog_match_actions(const struct catalog *c, const char *pattern,
			  struct actset *out);

/*
 * Return whether action a can act on a resource that the pattern
 * names: a resource type of a overlaps the pattern, or a has no
 * resource types and the pattern is "*".
 */
bool catalog_action_applies(const struct catalog *c,
			    const struct cat_action *a, const char *pattern);

/*
 * Return whether some resource that action a can act on matches both
 * patterns: one of a's resource types, or the "*" that IAM uses as the
 * resource of an action without resource types.
 */
bool catalog_action_overlap(const struct catalog *c,
			    const struct cat_action *a, const char *p,
			    const char *q);

/*
 * Add to out every action of service svc whose access level is in
 * levels and which applies to the resource pattern. Returns the number
 * of actions added.
 */
uint32_t catalog_expand_level(const struct catalog *c,
			      const struct cat_service *svc, unsigned levels,
			      const char *pattern, struct actset *out);

/*
 * Return the nearest known action ("s3:GetObject" for "s3:GetObjet")
 * or service prefix, or NULL when nothing is close enough to suggest.
 */
const char *catalog_suggest_action(const struct catalog *c,
				   const char *name);
const char *catalog_suggest_service(const struct catalog *c,
				    const char *prefix);

/*
 * Look up a condition key, global ("aws:SourceIp") or of a service,
 * matching templates such as "aws:PrincipalTag/${TagKey}" and ignoring
 * case as IAM does. NULL when unknown.
 */
const struct cat_condition_key *
catalog_find_condition_key(const struct catalog *c, const char *key);

#endif
