#include "common.h"
#include "aws.h"

#include <ctype.h>
#include <strings.h>

#include "aws_access.h"
#include "aws_credreport.h"
#include "aws_gaad.h"
#include "aws_org.h"
#include "json.h"
#include "ptrmap.h"

/* Every loaded ARN, keyed by its interned pointer. */
struct aws_index {
	struct ptrmap entities;		/* users, roles and groups */
	struct ptrmap policies;		/* managed policies */
	struct ptrmap credentials;	/* credential report rows */
	struct ptrmap access;		/* identity -> last-accessed entries */
	struct ptrmap access_reports;	/* identity -> its own report */
	/* lowercase service -> struct ptrmap of identity -> entry */
	struct ptrmap access_services;
};

#define EXPECTED_FORMATS \
	"expected the output of 'aws iam " \
	"get-account-authorization-details' (a JSON object with " \
	"UserDetailList, GroupDetailList, RoleDetailList and Policies), " \
	"the output of 'aws iam get-credential-report' (a JSON object " \
	"with Content), the output of 'aws iam " \
	"get-service-last-accessed-details' (a JSON object with " \
	"JobStatus), a credential report in CSV with a header " \
	"'user,arn,...', or an Organizations path export (a JSON object " \
	"with AccountId and TargetPath)"

static const char *const gaad_keys[] = {
	"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies",
	"IsTruncated", "Marker", "NextToken",
};

static const char *const credential_keys[] = {
	"Content", "ReportFormat", "GeneratedTime",
};

/* "Arn" and "ServiceNamespace" name what the output describes. */
static const char *const access_keys[] = {
	"JobStatus", "JobType", "JobCreationDate", "JobCompletionDate",
	"ServicesLastAccessed", "IsTruncated", "Marker", "Error", "Arn",
};

static const char *const access_entities_keys[] = {
	"JobStatus", "JobCreationDate", "JobCompletionDate",
	"EntityDetailsList", "IsTruncated", "Marker", "Error",
	"ServiceNamespace",
};

void aws_state_init(struct aws_state *st)
{
	memset(st, 0, sizeof(*st));
	strtab_init(&st->strtab, &st->arena);
	st->index = xcalloc(1, sizeof(*st->index));
}

static void release_service_maps(struct ptrmap *services)
{
	size_t i;

	for (i = 0; i < services->cap; i++) {
		struct ptrmap *identities = services->values[i];

		if (!services->keys[i])
			continue;
		ptrmap_release(identities);
		free(identities);
	}
	ptrmap_release(services);
}

void aws_state_release(struct aws_state *st)
{
	size_t i;

	for (i = 0; i < st->nexports; i++)
		source_free(st->exports[i]->src);
	for (i = 0; i < st->nreports; i++)
		source_free(st->reports[i]->src);
	for (i = 0; i < st->norgs; i++)
		source_free(st->orgs[i]->src);
	for (i = 0; i < st->naccess; i++)
		source_free(st->access[i]->src);
	free(st->exports);
	free(st->reports);
	free(st->orgs);
	free(st->access);
	if (st->index) {
		ptrmap_release(&st->index->entities);
		ptrmap_release(&st->index->policies);
		ptrmap_release(&st->index->credentials);
		ptrmap_release(&st->index->access);
		ptrmap_release(&st->index->access_reports);
		release_service_maps(&st->index->access_services);
		free(st->index);
	}
	strtab_release(&st->strtab);
	arena_release(&st->arena);
	memset(st, 0, sizeof(*st));
}

static size_t skip_bom_and_ws(const char *text, size_t len)
{
	size_t i = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	return json_skip_ws(text, len, i);
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* Point at the Arn value of the object at loc, or at the object. */
static struct loc arn_loc(const struct loc *loc, const char *key)
{
	struct json_step step = { key, 0 };
	struct loc out = *loc;
	size_t value, end;

	if (!json_locate(loc->src->text, loc->src->len, loc->off, &step, 1,
			 &value, &end, NULL)) {
		out.off = (uint32_t)value;
		out.len = (uint32_t)(end - value);
	}
	return out;
}

static void report_duplicate(struct diag *d, const struct loc *again,
			     const struct loc *first, const char *arn)
{
	diag_at(d, DIAG_ERROR, again, "duplicate ARN '%s': already loaded "
		"from '%s'", arn, first->src->path);
	diag_at(d, DIAG_NOTE, first, "'%s' is first defined here", arn);
}

static int check_entities(struct aws_state *st, struct aws_entity **list,
			  size_t n, struct diag *d)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		const struct aws_entity *other =
			ptrmap_get(&st->index->entities, list[i]->arn);
		struct loc again, first;

		if (!other)
			continue;
		again = arn_loc(&list[i]->loc, "Arn");
		first = arn_loc(&other->loc, "Arn");
		report_duplicate(d, &again, &first, list[i]->arn);
		ret = -1;
	}
	return ret;
}

static void put_entities(struct aws_state *st, struct aws_entity **list,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ptrmap_put(&st->index->entities, list[i]->arn, list[i]);
}

/*
 * Add the export's ARNs to the index, after checking them all so that a
 * failure leaves the index as it was.
 */
static int register_export(struct aws_state *st, struct aws_export *exp,
			   struct diag *d)
{
	int ret = 0;
	size_t i;

	ret |= check_entities(st, exp->users, exp->nusers, d);
	ret |= check_entities(st, exp->roles, exp->nroles, d);
	ret |= check_entities(st, exp->groups, exp->ngroups, d);
	for (i = 0; i < exp->npolicies; i++) {
		const struct aws_managed_policy *p = exp->policies[i], *other;
		struct loc again, first;

		other = ptrmap_get(&st->index->policies, p->arn);
		if (!other || (p->aws_managed && other->aws_managed))
			continue;
		again = arn_loc(&p->loc, "Arn");
		first = arn_loc(&other->loc, "Arn");
		report_duplicate(d, &again, &first, p->arn);
		ret = -1;
	}
	if (ret)
		return -1;

	put_entities(st, exp->users, exp->nusers);
	put_entities(st, exp->roles, exp->nroles);
	put_entities(st, exp->groups, exp->ngroups);
	for (i = 0; i < exp->npolicies; i++)
		if (!ptrmap_get(&st->index->policies, exp->policies[i]->arn))
			ptrmap_put(&st->index->policies, exp->policies[i]->arn,
				   exp->policies[i]);
	st->exports = xrealloc(st->exports,
			       (st->nexports + 1) * sizeof(*st->exports));
	st->exports[st->nexports++] = exp;
	return 0;
}

static int register_report(struct aws_state *st,
			   struct aws_credential_report *rep, struct diag *d)
{
	int ret = 0;
	size_t i;

	for (i = 0; i < rep->nrows; i++) {
		const struct aws_credential_row *other =
			ptrmap_get(&st->index->credentials, rep->rows[i].arn);

		if (!other)
			continue;
		diag_at(d, DIAG_ERROR, &rep->rows[i].loc, "duplicate "
			"credential report row for '%s': already loaded from "
			"'%s'", rep->rows[i].arn, other->loc.src->path);
		ret = -1;
	}
	if (ret)
		return -1;
	for (i = 0; i < rep->nrows; i++)
		ptrmap_put(&st->index->credentials, rep->rows[i].arn,
			   &rep->rows[i]);
	st->reports = xrealloc(st->reports,
			       (st->nreports + 1) * sizeof(*st->reports));
	st->reports[st->nreports++] = rep;
	return 0;
}

/*
 * Return the key of known[0..n) that key is likely a misspelling of, or
 * NULL. That is a key equal to it ignoring case or within two edits of
 * it. A known key of five characters or fewer allows one edit, because
 * two would match unrelated keys, such as fields that AWS adds.
 */
static const char *resembled_key(const char *key, const char *const *known,
				 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t limit = strlen(known[i]) <= 5 ? 1 : 2;

		if (edit_distance(key, known[i], limit) <= limit)
			return known[i];
	}
	return NULL;
}

/*
 * Report a top-level key that resembles a known one, whose data the
 * reader would otherwise drop without a word.
 */
static void report_misspelt_key(struct diag *d, const struct loc *loc,
				const char *key, const char *known,
				const char *format)
{
	if (!strcasecmp(key, known))
		diag_at(d, DIAG_ERROR, loc, "%s: unknown key in %s; keys are "
			"case-sensitive, so write '%s', or the data under this "
			"key would be ignored", key, format, known);
	else
		diag_at(d, DIAG_ERROR, loc, "%s: unknown key in %s, a likely "
			"misspelling of '%s'; correct it, or the data under "
			"this key would be ignored", key, format, known);
}

/*
 * Check the top-level keys. A duplicate is an error, and so is a key
 * that resembles a known one. Any other key that the format does not
 * define is a warning, since AWS adds keys over time.
 */
static int check_keys(struct source *src, const struct json_object_scan *scan,
		      const char *const *known, size_t nknown,
		      const char *format, struct diag *d)
{
	size_t i, j;
	int ret = 0;

	for (i = 0; i < scan->nmembers; i++) {
		const struct json_member *m = &scan->members[i];
		struct loc loc = { src, m->key_off, 0 };
		const char *resembled;

		for (j = 0; j < i; j++)
			if (!strcmp(scan->members[j].key, m->key))
				break;
		if (j < i) {
			diag_at(d, DIAG_ERROR, &loc, "duplicate key '%s'",
				m->key);
			return -1;
		}
		if (in_list(m->key, known, nknown))
			continue;
		resembled = resembled_key(m->key, known, nknown);
		if (resembled) {
			report_misspelt_key(d, &loc, m->key, resembled, format);
			ret = -1;
			continue;
		}
		diag_at(d, DIAG_WARNING, &loc, "unknown key '%s' in %s; "
			"ignored", m->key, format);
	}
	return ret;
}

static int check_truncated(struct source *src,
			   const struct json_object_scan *scan, struct diag *d)
{
	size_t i;

	for (i = 0; i < scan->nmembers; i++) {
		const struct json_member *m = &scan->members[i];
		struct loc loc = { src, m->value.off, m->value.len };
		const char *v = src->text + m->value.off;

		/*
		 * With --max-items the AWS CLI stops early and gives the
		 * token of the next page, without IsTruncated.
		 */
		if (!strcmp(m->key, "NextToken") && m->type != JSON_NULL) {
			diag_at(d, DIAG_ERROR, &loc, "NextToken: the export "
				"is one page of a paginated result; export "
				"again without --max-items so that the AWS CLI "
				"fetches every page");
			return -1;
		}
		if (strcmp(m->key, "IsTruncated"))
			continue;
		if (m->type != JSON_BOOL) {
			diag_at(d, DIAG_ERROR, &loc, "IsTruncated: expected "
				"true or false");
			return -1;
		}
		if (*v == 't') {
			diag_at(d, DIAG_ERROR, &loc, "IsTruncated: the export "
				"is one page of a paginated result; export "
				"again without --max-items so that the AWS CLI "
				"fetches every page");
			return -1;
		}
	}
	return 0;
}

static enum aws_format classify(const struct json_object_scan *scan)
{
	bool gaad = false, credentials = false, access = false;
	bool entities = false, org = false;
	size_t i;

	for (i = 0; i < scan->nmembers; i++) {
		const char *key = scan->members[i].key;

		gaad |= aws_gaad_list_key(key);
		credentials |= !strcmp(key, "Content");
		access |= aws_access_top_key(key);
		entities |= !strcmp(key, "EntityDetailsList");
		org |= !strcmp(key, "TargetPath");
	}
	if (gaad + credentials + access + org != 1)
		return AWS_FORMAT_UNKNOWN;
	if (org)
		return AWS_FORMAT_ORGANIZATION;
	if (access)
		return entities ? AWS_FORMAT_SERVICE_ACCESS_ENTITIES
				: AWS_FORMAT_SERVICE_ACCESS;
	return gaad ? AWS_FORMAT_GAAD : AWS_FORMAT_CREDENTIAL_JSON;
}

static int load_org(struct aws_state *st, struct source *src,
		    const struct json_object_scan *scan, struct diag *d)
{
	struct aws_org_path *org;
	struct loc loc;

	if (aws_org_read(&org, src, scan, &st->arena, &st->strtab, d))
		return -1;
	if (aws_find_org(st, org->account)) {
		loc = (struct loc){ src, scan->off, 0 };
		diag_at(d, DIAG_ERROR, &loc, "a second Organizations export "
			"for account %s; give one per account", org->account);
		return -1;
	}
	st->orgs = xrealloc(st->orgs, (st->norgs + 1) * sizeof(*st->orgs));
	st->orgs[st->norgs++] = org;
	return 0;
}

const struct aws_org_path *aws_find_org(const struct aws_state *st,
					const char *account)
{
	size_t i;

	for (i = 0; i < st->norgs; i++)
		if (!strcmp(st->orgs[i]->account, account))
			return st->orgs[i];
	return NULL;
}

/* Return service in lowercase, interned, to key access_services. */
static const char *service_key(struct aws_state *st, const char *service)
{
	const char *key;
	char *lower;
	size_t i;

	for (i = 0; service[i]; i++)
		if (isupper((unsigned char)service[i]))
			break;
	if (!service[i])
		return service;
	lower = xstrdup(service);
	for (i = 0; lower[i]; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	key = strtab_intern_str(&st->strtab, lower);
	free(lower);
	return key;
}

/*
 * Report data that a loaded file already gives for the same identity.
 * That is a second file of one user or role's own job, or a service of
 * an identity that two files both report, such as a with-entities file
 * and the identity's own file. Two jobs can disagree on when a service
 * was last used, and neither is known to be right, so even a copy of a
 * file is an error.
 */
static int check_access(struct aws_state *st,
			const struct aws_access_report *rep, struct diag *d)
{
	const struct aws_access_report *first = NULL;
	size_t i;

	if (rep->arn)
		first = ptrmap_get(&st->index->access_reports, rep->arn);
	if (first) {
		diag_at(d, DIAG_ERROR, &rep->arn_loc, "'%s' already has "
			"service-last-accessed data from '%s'; give one job's "
			"output per identity, since two jobs can disagree on "
			"when a service was last used", rep->arn,
			first->src->path);
		diag_at(d, DIAG_NOTE, &first->arn_loc, "'%s' is first named "
			"here", rep->arn);
		return -1;
	}
	for (i = 0; i < rep->nentries; i++) {
		const struct aws_service_access *e = &rep->entries[i], *o;
		const struct ptrmap *identities = ptrmap_get(
			&st->index->access_services, service_key(st, e->service));

		o = identities ? ptrmap_get(identities, e->arn) : NULL;
		if (!o)
			continue;
		diag_at(d, DIAG_ERROR, &e->loc, "'%s' already has "
			"service-last-accessed data for service '%s' from "
			"'%s'; give each identity's use of a service once, "
			"since two jobs can disagree on it", e->arn,
			e->service, o->loc.src->path);
		diag_at(d, DIAG_NOTE, &o->loc, "the data for '%s' that is "
			"loaded first", e->service);
		return -1;
	}
	return 0;
}

/*
 * Add the report's entries to the index, after check_access made sure
 * that no other file reports them.
 */
static int register_access(struct aws_state *st,
			   struct aws_access_report *rep, struct diag *d)
{
	size_t i;

	if (check_access(st, rep, d))
		return -1;
	if (rep->arn)
		ptrmap_put(&st->index->access_reports, rep->arn, rep);
	for (i = 0; i < rep->nentries; i++) {
		struct aws_service_access *e = &rep->entries[i];

		const char *key = service_key(st, e->service);
		struct ptrmap *identities;

		e->next = ptrmap_get(&st->index->access, e->arn);
		ptrmap_put(&st->index->access, e->arn, e);
		identities = ptrmap_get(&st->index->access_services, key);
		if (!identities) {
			identities = xcalloc(1, sizeof(*identities));
			ptrmap_put(&st->index->access_services, key,
				   identities);
		}
		ptrmap_put(identities, e->arn, e);
	}
	st->access = xrealloc(st->access,
			      (st->naccess + 1) * sizeof(*st->access));
	st->access[st->naccess++] = rep;
	return 0;
}

static int load_access(struct aws_state *st, struct source *src,
		       const struct json_object_scan *scan, bool entities,
		       struct diag *d)
{
	struct aws_access_report *rep;
	int ret;

	if (entities)
		ret = check_keys(src, scan, access_entities_keys,
				 ARRAY_SIZE(access_entities_keys),
				 "service-last-accessed details", d);
	else
		ret = check_keys(src, scan, access_keys,
				 ARRAY_SIZE(access_keys),
				 "service-last-accessed details", d);
	if (ret || aws_access_read(&rep, src, scan, entities, &st->arena,
				   &st->strtab, d))
		return -1;
	return register_access(st, rep, d);
}

static int load_gaad(struct aws_state *st, struct source *src,
		     struct json_object_scan *scan, struct diag *d)
{
	struct aws_export *exp;

	if (check_keys(src, scan, gaad_keys, ARRAY_SIZE(gaad_keys),
		       "an account authorization details export", d) ||
	    check_truncated(src, scan, d) ||
	    aws_gaad_read(&exp, src, scan, &st->arena, &st->strtab, d))
		return -1;
	return register_export(st, exp, d);
}

static int load_credentials_json(struct aws_state *st, struct source *src,
				 const struct json_object_scan *scan,
				 struct diag *d)
{
	struct aws_credential_report *rep;

	if (check_keys(src, scan, credential_keys,
		       ARRAY_SIZE(credential_keys), "a credential report", d) ||
	    aws_credreport_read_json(&rep, src, scan, &st->arena,
				     &st->strtab, d))
		return -1;
	return register_report(st, rep, d);
}

/*
 * Add a note for each top-level key that resembles a key by which a
 * format is recognised, since a misspelt one leaves the file
 * unrecognised.
 */
static void suggest_format_keys(struct source *src,
				const struct json_object_scan *scan,
				struct diag *d)
{
	static const char *const format_keys[] = {
		"UserDetailList", "GroupDetailList", "RoleDetailList",
		"Policies", "Content", "JobStatus", "ServicesLastAccessed",
		"EntityDetailsList", "TargetPath",
	};
	size_t i;

	for (i = 0; i < scan->nmembers; i++) {
		const struct json_member *m = &scan->members[i];
		struct loc loc = { src, m->key_off, 0 };
		const char *guess = resembled_key(m->key, format_keys,
						  ARRAY_SIZE(format_keys));

		if (guess && strcmp(guess, m->key))
			diag_at(d, DIAG_NOTE, &loc, "did you mean '%s'?",
				guess);
	}
}

static int load_json(struct aws_state *st, struct source *src,
		     struct diag *d)
{
	struct json_object_scan scan;
	struct loc loc = { src, 0, 0 };
	int ret = -1;

	if (json_scan_object(&scan, src, aws_gaad_list_key, d))
		return -1;
	switch (classify(&scan)) {
	case AWS_FORMAT_GAAD:
		ret = load_gaad(st, src, &scan, d);
		break;
	case AWS_FORMAT_CREDENTIAL_JSON:
		ret = load_credentials_json(st, src, &scan, d);
		break;
	case AWS_FORMAT_ORGANIZATION:
		ret = load_org(st, src, &scan, d);
		break;
	case AWS_FORMAT_SERVICE_ACCESS:
	case AWS_FORMAT_SERVICE_ACCESS_ENTITIES:
		ret = load_access(st, src, &scan, classify(&scan) ==
				  AWS_FORMAT_SERVICE_ACCESS_ENTITIES, d);
		break;
	default:
		loc.off = scan.off;
		if (scan.nmembers == 1 && !strcmp(scan.members[0].key,
						  "JobId")) {
			diag_at(d, DIAG_ERROR, &loc, "this is the output of "
				"'aws iam generate-service-last-accessed-"
				"details', which only names the job; export "
				"'aws iam get-service-last-accessed-details "
				"--job-id ID' instead");
			break;
		}
		diag_at(d, DIAG_ERROR, &loc, "unrecognized export: %s",
			EXPECTED_FORMATS);
		suggest_format_keys(src, &scan, d);
		break;
	}
	json_object_scan_release(&scan);
	return ret;
}

static int load_csv(struct aws_state *st, struct source *src, struct diag *d)
{
	struct aws_credential_report *rep;

	if (aws_credreport_read_csv(&rep, src, &st->arena, &st->strtab, d))
		return -1;
	return register_report(st, rep, d);
}

static const char *json_type_phrase(enum json_type type)
{
	switch (type) {
	case JSON_NULL:
		return "null";
	case JSON_BOOL:
		return "a boolean";
	case JSON_NUMBER:
		return "a number";
	case JSON_STRING:
		return "a string";
	case JSON_ARRAY:
		return "an array";
	case JSON_OBJECT:
		break;
	}
	return "an object";
}

/* Reject text that is neither a JSON object nor a credential report. */
static int reject_other(struct source *src, size_t start, struct diag *d)
{
	struct loc loc = { src, (uint32_t)start, 0 };
	struct json_fault fault;
	enum json_type type;
	size_t root, end = start;
	char c = src->text[start];

	if (c != '[' && c != '"' && c != '-' && (c < '0' || c > '9') &&
	    c != 't' && c != 'f' && c != 'n') {
		diag_at(d, DIAG_ERROR, &loc, "unrecognized export: %s",
			EXPECTED_FORMATS);
		return -1;
	}
	if (json_validate(src->text + start, src->len - start, &root,
			  &fault)) {
		loc.off = (uint32_t)(start + fault.off);
		diag_at(d, DIAG_ERROR, &loc, "invalid JSON: %s", fault.msg);
		return -1;
	}
	json_skip_value(src->text, src->len, &end, &type, &fault);
	diag_at(d, DIAG_ERROR, &loc, "the top-level value is %s, not an "
		"object; %s", json_type_phrase(type), EXPECTED_FORMATS);
	return -1;
}

int aws_state_load_source(struct aws_state *st, struct source *src,
			  struct diag *d)
{
	size_t start = skip_bom_and_ws(src->text, src->len);
	struct loc loc = { src, (uint32_t)start, 0 };
	const char *previous_input = reading_input(src->path);
	int ret;

	if (start >= src->len) {
		diag_at(d, DIAG_ERROR, &loc, "empty file; %s",
			EXPECTED_FORMATS);
		ret = -1;
	} else if (src->text[start] == '{') {
		ret = load_json(st, src, d);
	} else if (aws_credreport_is_csv(src->text, src->len)) {
		ret = load_csv(st, src, d);
	} else {
		ret = reject_other(src, start, d);
	}
	source_release_all(src);
	reading_input(previous_input);
	if (ret) {
		source_free(src);
		return ret;
	}
	/* Loaded, src belongs to st, which the caller releases. */
	return source_check_unchanged(src, d);
}

int aws_state_load(struct aws_state *st, const char *path, struct diag *d)
{
	struct source *src;

	if (source_map(&src, path, SOURCE_EXPORT_MAX, d))
		return -1;
	return aws_state_load_source(st, src, d);
}

/* Return whether the key written at text[start..end) is name. */
static bool key_is(const char *text, size_t start, size_t end,
		   const char *name)
{
	size_t n = strlen(name);

	return end - start == n + 2 && !memcmp(text + start + 1, name, n);
}

/* Return the format that the first recognised top-level key implies. */
static enum aws_format detect_json(const char *text, size_t len, size_t i)
{
	struct json_fault fault;
	enum json_type type;

	i = json_skip_ws(text, len, i + 1);
	while (i < len && text[i] == '"') {
		size_t key = i;

		if (json_skip_value(text, len, &i, &type, &fault))
			return AWS_FORMAT_UNKNOWN;
		if (key_is(text, key, i, "UserDetailList") ||
		    key_is(text, key, i, "GroupDetailList") ||
		    key_is(text, key, i, "RoleDetailList") ||
		    key_is(text, key, i, "Policies"))
			return AWS_FORMAT_GAAD;
		if (key_is(text, key, i, "Content"))
			return AWS_FORMAT_CREDENTIAL_JSON;
		if (key_is(text, key, i, "TargetPath"))
			return AWS_FORMAT_ORGANIZATION;
		if (key_is(text, key, i, "EntityDetailsList"))
			return AWS_FORMAT_SERVICE_ACCESS_ENTITIES;
		if (key_is(text, key, i, "ServicesLastAccessed"))
			return AWS_FORMAT_SERVICE_ACCESS;
		i = json_skip_ws(text, len, i);
		if (i >= len || text[i] != ':')
			return AWS_FORMAT_UNKNOWN;
		i++;
		if (json_skip_value(text, len, &i, &type, &fault))
			return AWS_FORMAT_UNKNOWN;
		i = json_skip_ws(text, len, i);
		if (i >= len || text[i] != ',')
			return AWS_FORMAT_UNKNOWN;
		i = json_skip_ws(text, len, i + 1);
	}
	return AWS_FORMAT_UNKNOWN;
}

enum aws_format aws_detect_format(const char *text, size_t len)
{
	size_t start = skip_bom_and_ws(text, len);

	if (start < len && text[start] == '{')
		return detect_json(text, len, start);
	if (aws_credreport_is_csv(text, len))
		return AWS_FORMAT_CREDENTIAL_CSV;
	return AWS_FORMAT_UNKNOWN;
}

struct aws_entity *aws_find_entity(const struct aws_state *st,
				   const char *arn)
{
	const char *key = strtab_lookup(&st->strtab, arn, strlen(arn));

	return key ? ptrmap_get(&st->index->entities, key) : NULL;
}

const struct aws_managed_policy *
aws_find_policy(const struct aws_state *st, const char *arn)
{
	const char *key = strtab_lookup(&st->strtab, arn, strlen(arn));

	return key ? ptrmap_get(&st->index->policies, key) : NULL;
}

const struct aws_credential_row *
aws_find_credentials(const struct aws_state *st, const char *arn)
{
	const char *key = strtab_lookup(&st->strtab, arn, strlen(arn));

	return key ? ptrmap_get(&st->index->credentials, key) : NULL;
}

const struct aws_service_access *
aws_find_service_access(const struct aws_state *st, const char *arn,
			const char *service)
{
	const char *key = strtab_lookup(&st->strtab, arn, strlen(arn));
	const struct aws_service_access *e;

	for (e = key ? ptrmap_get(&st->index->access, key) : NULL; e;
	     e = e->next)
		if (!strcasecmp(e->service, service))
			return e;
	return NULL;
}

bool aws_has_service_access(const struct aws_state *st, const char *arn)
{
	const char *key = strtab_lookup(&st->strtab, arn, strlen(arn));

	return key && ptrmap_get(&st->index->access, key);
}

/* Return whether some user or role of the exports is in account. */
static bool account_exported(const struct aws_state *st, const char *account)
{
	char prefix[64];
	size_t i, j, n;

	for (i = 0; i < st->nexports; i++) {
		const struct aws_export *x = st->exports[i];
		struct aws_entity **lists[2] = { x->roles, x->users };
		size_t counts[2] = { x->nroles, x->nusers };
		int k;

		for (k = 0; k < 2; k++)
			for (j = 0; j < counts[k]; j++) {
				const char *arn = lists[k][j]->arn;
				const char *p = strstr(arn, ":iam::");

				n = (size_t)snprintf(prefix, sizeof(prefix),
						     ":iam::%s:", account);
				if (p && !strncmp(p, prefix, n))
					return true;
			}
	}
	return false;
}

void aws_warn_unused_orgs(const struct aws_state *st, struct diag *d)
{
	size_t i;

	for (i = 0; i < st->norgs; i++) {
		const struct aws_org_path *org = st->orgs[i];
		struct loc loc = { org->src, 0, 0 };

		if (account_exported(st, org->account))
			continue;
		diag_at(d, DIAG_WARNING, &loc, "the service control policies "
			"are for account %s, but no loaded "
			"authorization-details export has a user or role of "
			"it, so they apply to nothing", org->account);
	}
}
