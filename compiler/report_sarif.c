#include "common.h"
#include "report.h"

#include "strtab.h"

/*
 * SARIF 2.1.0 output, after the OASIS standard "Static Analysis Results
 * Interchange Format (SARIF) Version 2.1.0": one run whose driver
 * describes every rule of the table, and one result per finding.
 */

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/*
 * Return the SARIF level of a severity: "error" for one that fails the
 * gate, "note" for info, and "warning" for the others.
 */
static const char *sarif_level(enum severity s, enum severity fail_on)
{
	if (s >= fail_on)
		return "error";
	return s == SEV_INFO ? "note" : "warning";
}

/*
 * Return the score that GitHub code scanning reads from a security
 * rule's "security-severity" property. Its page "SARIF support for code
 * scanning" maps over 9.0 to critical, 7.0 to 8.9 to high, 4.0 to 6.9
 * to medium and 3.9 or less to low. Info has no level of its own there.
 */
static const char *security_severity(enum severity s)
{
	static const char *const scores[SEV_COUNT] = {
		"1.0", "3.0", "5.5", "8.0", "9.5",
	};

	return scores[s];
}

/*
 * Return a new message object of prefix and text, ended with a period
 * because the SARIF Multitool's rule SARIF2001 warns of a message
 * without one.
 */
static cJSON *sarif_message(const char *prefix, const char *text)
{
	struct buf b = BUF_INIT;
	size_t len;
	cJSON *o = cJSON_CreateObject();

	buf_addf(&b, "%s%s", prefix, text);
	len = b.len;
	if (len && !strchr(".?!", b.data[len - 1]))
		buf_addch(&b, '.');
	cJSON_AddStringToObject(o, "text", buf_str(&b));
	buf_release(&b);
	return o;
}

static cJSON *sarif_rule(const struct rule *r, const struct verdict *v,
			 const struct controls *controls)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *help, *config, *props, *tags;
	struct buf text = BUF_INIT;

	cJSON_AddStringToObject(o, "id", r->id);
	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddItemToObject(o, "shortDescription",
			      sarif_message("Reported when ", r->summary));
	buf_addf(&text, "Reported when %s. %s", r->summary, r->rationale);
	cJSON_AddItemToObject(o, "fullDescription",
			      sarif_message("", buf_str(&text)));
	buf_reset(&text);
	help = cJSON_AddObjectToObject(o, "help");
	buf_addf(&text, "Fix: %s.", r->hint);
	cJSON_AddStringToObject(help, "text", buf_str(&text));
	config = cJSON_AddObjectToObject(o, "defaultConfiguration");
	cJSON_AddStringToObject(config, "level",
				sarif_level(r->severity, v->fail_on));
	props = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddStringToObject(props, "severity", severity_name(r->severity));
	cJSON_AddStringToObject(props, "security-severity",
				security_severity(r->severity));
	tags = cJSON_AddArrayToObject(props, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
	cJSON_AddItemToObject(props, "controls",
			      report_json_controls(controls, r->id));
	buf_release(&text);
	return o;
}

/*
 * Append path as a URI reference: relative paths stay relative, for
 * the consumer to resolve against the repository, absolute ones become
 * file:// URIs. Bytes other than RFC 3986 unreserved characters and
 * '/' are percent-encoded.
 */
static void add_uri(struct buf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	if (path[0] == '/')
		buf_adds(out, "file://");
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			buf_addch(out, (char)*p);
		} else {
			buf_addch(out, '%');
			buf_addch(out, hex[*p >> 4]);
			buf_addch(out, hex[*p & 15]);
		}
	}
}

static cJSON *sarif_location(const char *file, uint32_t line, uint32_t col)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *phys = cJSON_AddObjectToObject(o, "physicalLocation");
	cJSON *artifact = cJSON_AddObjectToObject(phys, "artifactLocation");
	cJSON *region = cJSON_AddObjectToObject(phys, "region");
	struct buf uri = BUF_INIT;

	add_uri(&uri, report_path(file));
	cJSON_AddStringToObject(artifact, "uri", buf_str(&uri));
	cJSON_AddNumberToObject(region, "startLine", line);
	cJSON_AddNumberToObject(region, "startColumn", col);
	buf_release(&uri);
	return o;
}

/* Add the agent and identity of a finding as logical locations. */
static void add_logical(cJSON *location, const struct finding *x)
{
	cJSON *list;

	if (!x->agent && !x->identity)
		return;
	list = cJSON_AddArrayToObject(location, "logicalLocations");
	if (x->agent) {
		cJSON *l = cJSON_CreateObject();

		cJSON_AddStringToObject(l, "name", x->agent);
		cJSON_AddStringToObject(l, "kind", "object");
		cJSON_AddItemToArray(list, l);
	}
	if (x->identity) {
		cJSON *l = cJSON_CreateObject();

		cJSON_AddStringToObject(l, "name", x->identity);
		cJSON_AddStringToObject(l, "kind", "resource");
		cJSON_AddItemToArray(list, l);
	}
}

/*
 * Append msg without the counts of days in it ("366 days ago"), which
 * change from one day to the next while the finding stays the same.
 */
static void add_stable_message(struct buf *key, const char *msg)
{
	const char *p = msg, *q;

	while (*p) {
		for (q = p; *q >= '0' && *q <= '9'; q++)
			;
		if (q > p && !strncmp(q, " day", 4)) {
			p = q;
			continue;
		}
		buf_addch(key, *p);
		p++;
	}
}

/*
 * Add a fingerprint made from the finding's rule, agent, identity and
 * message, not its line. Code scanning then matches the finding across
 * commits that move it, and across days that change its age.
 */
static void add_fingerprint(cJSON *result, const struct finding *x)
{
	struct buf key = BUF_INIT;
	char hex[17];
	cJSON *fp;

	buf_addf(&key, "%s%c%s%c%s%c", x->rule->id, 0,
		 x->agent ? x->agent : "", 0,
		 x->identity ? x->identity : "", 0);
	add_stable_message(&key, x->message);
	snprintf(hex, sizeof(hex), "%016llx",
		 (unsigned long long)hash_bytes(key.data, key.len));
	fp = cJSON_AddObjectToObject(result, "partialFingerprints");
	cJSON_AddStringToObject(fp, "mandateFinding/v1", hex);
	buf_release(&key);
}

static cJSON *sarif_suppression(const struct waiver *w)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "kind", "external");
	cJSON_AddStringToObject(o, "status", "accepted");
	if (w->reason.s)
		cJSON_AddStringToObject(o, "justification", w->reason.s);
	if (w->loc.src) {
		uint32_t line, col;

		loc_position(&w->loc, &line, &col);
		cJSON_AddItemToObject(o, "location",
				      sarif_location(w->loc.src->path, line,
						     col));
	}
	cJSON_AddItemToObject(o, "properties", report_json_waiver(w));
	return o;
}

static cJSON *sarif_result(const struct finding *x, size_t rule_index,
			   const struct verdict *v,
			   const struct controls *controls)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *locations, *location, *props, *details;
	const char *file;
	uint32_t line, col;
	size_t i;

	finding_position(x, &file, &line, &col);
	cJSON_AddStringToObject(o, "ruleId", x->rule->id);
	cJSON_AddNumberToObject(o, "ruleIndex", (double)rule_index);
	cJSON_AddStringToObject(o, "level", sarif_level(x->severity,
							v->fail_on));
	cJSON_AddItemToObject(o, "message", sarif_message("", x->message));
	if (file || x->agent || x->identity) {
		locations = cJSON_AddArrayToObject(o, "locations");
		location = file ? sarif_location(file, line, col)
				: cJSON_CreateObject();
		add_logical(location, x);
		cJSON_AddItemToArray(locations, location);
	}
	add_fingerprint(o, x);
	if (x->waiver) {
		cJSON *list = cJSON_AddArrayToObject(o, "suppressions");

		cJSON_AddItemToArray(list, sarif_suppression(x->waiver));
	}
	props = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddStringToObject(props, "severity", severity_name(x->severity));
	if (x->agent)
		cJSON_AddStringToObject(props, "agent", x->agent);
	if (x->identity)
		cJSON_AddStringToObject(props, "identity", x->identity);
	if (x->note)
		cJSON_AddStringToObject(props, "note", x->note);
	if (x->hint)
		cJSON_AddStringToObject(props, "fix", x->hint);
	details = cJSON_AddArrayToObject(props, "details");
	for (i = 0; i < x->ndetails; i++)
		cJSON_AddItemToArray(details, cJSON_CreateString(x->details[i]));
	cJSON_AddItemToObject(props, "controls",
			      report_json_controls(controls, x->rule->id));
	return o;
}

void report_sarif(struct buf *out, const struct findings *f,
		  const struct verdict *v, const struct report_meta *m)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *run, *driver, *rules, *results, *invocation, *props;
	const struct rule *table;
	size_t nrules, i;
	char today[11];

	table = rule_table(&nrules);
	cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
	cJSON_AddStringToObject(root, "version", "2.1.0");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
	driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"),
					 "driver");
	cJSON_AddStringToObject(driver, "name", "mandate");
	cJSON_AddStringToObject(driver, "version", m->tool_version);
	cJSON_AddStringToObject(driver, "semanticVersion", m->tool_version);
	rules = cJSON_AddArrayToObject(driver, "rules");
	for (i = 0; i < nrules; i++)
		cJSON_AddItemToArray(rules, sarif_rule(&table[i], v,
						       m->controls));

	invocation = cJSON_CreateObject();
	cJSON_AddBoolToObject(invocation, "executionSuccessful", true);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"),
			     invocation);
	cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
	results = cJSON_AddArrayToObject(run, "results");
	for (i = 0; i < f->n; i++)
		cJSON_AddItemToArray(results,
			sarif_result(&f->v[i],
				     (size_t)(f->v[i].rule - table), v,
				     m->controls));

	date_format(m->today, today);
	props = cJSON_AddObjectToObject(run, "properties");
	cJSON_AddStringToObject(props, "verdict", v->pass ? "pass" : "fail");
	cJSON_AddStringToObject(props, "failOn", severity_name(v->fail_on));
	cJSON_AddStringToObject(props, "today", today);
	cJSON_AddStringToObject(props, "catalog", m->catalog_source);
	report_json_print(out, root);
}

bool report_sarif_recognize(const char *text, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "runs"), 0);
	cJSON *driver = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"),
					    "driver");
	const char *version = cJSON_GetStringValue(
		cJSON_GetObjectItem(root, "version"));
	const char *name = cJSON_GetStringValue(
		cJSON_GetObjectItem(driver, "name"));
	bool ours = cJSON_IsObject(root) && version &&
		    !strcmp(version, "2.1.0") && name &&
		    !strcmp(name, "mandate");

	cJSON_Delete(root);
	return ours;
}
