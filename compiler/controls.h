#ifndef MANDATE_COMPILER_CONTROLS_H
#define MANDATE_COMPILER_CONTROLS_H

#include "buf.h"
#include "finding.h"

/*
 * The compliance controls each rule maps to, read from the standard
 * library's controls/rules.txt: SOC 2 (2017 Trust Services Criteria),
 * ISO/IEC 27001:2022 Annex A and PCI DSS v4.0.1.
 */
enum framework {
	FW_SOC2,
	FW_ISO27001,
	FW_PCI_DSS,
};

#define FW_COUNT 3

/* The controls of one rule, per framework, in the file's order. */
struct rule_controls {
	const struct rule *rule;
	char **ids[FW_COUNT];
	size_t n[FW_COUNT];
};

struct controls {
	struct rule_controls *v;	/* sorted by rule id */
	size_t n;
	bool shown[FW_COUNT];		/* frameworks that reports list */
};

/* Return "soc2", "iso27001" or "pci_dss", as specs name them. */
const char *framework_key(enum framework fw);

/* Return "SOC 2", "ISO/IEC 27001:2022" or "PCI DSS v4.0.1". */
const char *framework_title(enum framework fw);

/*
 * Load the mapping file at path into out, with every framework shown.
 * Returns 0, or -1 after reporting to d, at its position, a malformed
 * line, an unknown rule or framework, or a rule mapped twice. On
 * failure out is empty. controls_release frees what out contains.
 */
int controls_load(struct controls *out, const char *path, struct diag *d);
void controls_release(struct controls *c);

/*
 * Show only the frameworks a gate names (soc2, iso27001, pci_dss);
 * an empty list keeps all of them shown.
 */
void controls_select(struct controls *c, const struct sval *names, size_t n);

/* Return the controls of rule id, or NULL when the file has none. */
const struct rule_controls *controls_get(const struct controls *c,
					 const char *id);

/*
 * Append a rule's shown controls in the compact form reports use:
 * "SOC 2 CC6.1, CC6.3; ISO 27001 A.5.15; PCI DSS 7.2.2".
 * Appends nothing when rc is NULL or no framework is shown.
 */
void controls_format(struct buf *out, const struct controls *c,
		     const struct rule_controls *rc);

#endif
