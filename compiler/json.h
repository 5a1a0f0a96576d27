#ifndef MANDATE_COMPILER_JSON_H
#define MANDATE_COMPILER_JSON_H

#include <cjson/cJSON.h>

#include "buf.h"
#include "diag.h"

/*
 * JSON input for exports that may be hundreds of megabytes large.
 *
 * A whole export never becomes one cJSON tree. json_scan_object checks
 * the entire text against RFC 8259 with a validating skipper. It records
 * the byte span of every member of the top-level object and of every
 * element of the arrays the caller asks for, and the offsets of the
 * values inside those elements. The caller then gets one element at a
 * time as a cJSON tree with json_parse_element, converts it, and frees
 * it with cJSON_Delete. That tree is built from the recorded offsets,
 * without parsing the element's text again.
 *
 * Positions: a struct json_path names a value inside the text the way a
 * message shows it (RoleDetailList[3].RolePolicyList[0].PolicyName).
 * Converters keep the path of the value they are reading in a struct
 * json_ctx. On an error, json_locate walks the element's text along the
 * path to find the value's offset, so that walk costs nothing unless a
 * diagnostic is printed.
 *
 * The skipper is stricter than cJSON: it rejects leading zeros, raw
 * control characters in strings, invalid UTF-8, lone surrogates and
 * \u0000 (which would cut a C string short), so every text it accepts
 * parses with cJSON to the same value.
 */

#define JSON_MAX_DEPTH 512	/* below cJSON's own nesting limit of 1000 */
#define JSON_PATH_MAX 32

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

/* A value as written: the byte offset of its first byte and its size. */
struct json_span {
	uint32_t off;
	uint32_t len;
};

/* A syntax error: its message and the offset where it was found. */
struct json_fault {
	size_t off;
	char msg[160];
};

/* Return the offset of the first non-whitespace byte at or after pos. */
size_t json_skip_ws(const char *text, size_t len, size_t pos);

/*
 * Validate the value starting at or after text[*pos] (leading
 * whitespace is skipped), store its type, and move *pos just past it.
 * Returns 0, or -1 with *fault set.
 */
int json_skip_value(const char *text, size_t len, size_t *pos,
		    enum json_type *type, struct json_fault *fault);

/*
 * Validate that text is exactly one JSON value with only whitespace
 * around it. Stores the value's start offset in *root. Returns 0 or -1
 * with *fault set.
 */
int json_validate(const char *text, size_t len, size_t *root,
		  struct json_fault *fault);

/* One member of a scanned top-level object. */
struct json_member {
	char *key;		/* decoded; owned by the scan */
	uint32_t key_off;	/* the key's opening quote */
	struct json_span value;
	enum json_type type;
	struct json_span *elems;	/* when the caller asked for them */
	size_t *elem_values;	/* element i's values are [i] to [i + 1] */
	size_t nelems;
};

/*
 * A scanned top-level object. For the elements it lists, it also keeps
 * where every value inside them starts and ends, in the order values
 * start, so that json_parse_element need not walk the text again.
 */
struct json_object_scan {
	uint32_t off;		/* the opening brace */
	struct json_member *members;
	size_t nmembers;
	uint32_t *value_start, *value_end;
	size_t nvalues, values_cap;
	size_t forgotten;	/* values below this were given back */
};

/*
 * Validate src's whole text as a single JSON object and list its
 * members in order. For each member whose value is an array and for
 * which want_elems(key) is true, also list the spans of the array's
 * elements. A leading UTF-8 byte order mark is skipped. Returns 0, or
 * -1 after reporting the syntax error to d at its position.
 */
int json_scan_object(struct json_object_scan *out, struct source *src,
		     bool (*want_elems)(const char *key), struct diag *d);
void json_object_scan_release(struct json_object_scan *scan);

/*
 * Give back the memory of the offsets of the values below index k, once
 * enough have passed since the last call, for a caller that converts
 * the elements in order and will not read those offsets again. Their
 * whole pages go back to the system with madvise and read as zeros.
 */
void json_object_scan_forget(struct json_object_scan *scan, size_t k);

/*
 * Parse the len bytes at text + off, which hold one value, with cJSON.
 * Returns the tree, which the caller frees with cJSON_Delete, or NULL
 * with the offset of cJSON's error in *err_off.
 *
 * The text must have passed the skipper, because each node then gets
 * the offset in text of its value, read with json_value_off, and every
 * node but a number the offset just past its value, read with
 * json_value_end. They are kept in cJSON's valueint and, for all but
 * numbers, valuedouble: read numbers with valuedouble and never read
 * valueint of these trees.
 */
cJSON *json_parse_span(const char *text, size_t off, size_t len,
		       size_t *err_off);
size_t json_value_off(const cJSON *v);
size_t json_value_end(const cJSON *v);

/*
 * Return the tree of element i of the list m of scan, whose text is
 * text: the tree json_parse_span would parse, with the same offsets,
 * but built from the scan. Returns NULL with *err_off set only when
 * cJSON's allocator fails.
 */
cJSON *json_parse_element(const char *text,
			  const struct json_object_scan *scan,
			  const struct json_member *m, size_t i, size_t *err_off);

/*
 * Store in out the scan indexes of the values of member key of each
 * object in the array member list_key of element i, an object: the
 * "Document" of each entry of "PolicyVersionList". Stops after max.
 * Returns how many were stored. A member whose key is written with
 * escapes is not found, which costs only speed.
 */
size_t json_element_find_nested(const char *text,
				const struct json_object_scan *scan,
				const struct json_member *m, size_t i,
				const char *list_key, const char *key,
				size_t *out, size_t max);

/*
 * Parse element i like json_parse_element, but each value whose scan
 * index is in elide (ascending, not nested in one another, each more
 * than 4 bytes long) becomes a null placeholder with the offsets of the
 * value it replaces. Values the caller will not read then cost no tree.
 */
cJSON *json_parse_element_elided(const char *text,
				 const struct json_object_scan *scan,
				 const struct json_member *m, size_t i,
				 const size_t *elide, size_t nelide,
				 size_t *err_off);

/* Return whether v is a placeholder of json_parse_element_elided. */
bool json_is_elided(const char *text, const cJSON *v);

/*
 * Parse the value that the placeholder v of element i stands for, with
 * offsets as json_parse_element gives them. The caller frees the tree
 * with cJSON_Delete. Returns NULL with *err_off set on failure.
 */
cJSON *json_parse_elided(const char *text,
			 const struct json_object_scan *scan,
			 const struct json_member *m, size_t i, const cJSON *v,
			 size_t *err_off);

/*
 * Make cJSON allocate from scratch blocks, until json_scratch_end puts
 * back xmalloc and free (the hooks main installs). Every tree parsed
 * in between must be deleted before json_scratch_reset, which recycles
 * the blocks, and no cJSON text printed in between may be freed with
 * free(3). For readers of large exports that parse, convert and delete
 * one element at a time.
 */
void json_scratch_begin(void);
void json_scratch_reset(void);
void json_scratch_end(void);

/*
 * One step of a path: an object key, or an array index when key is
 * NULL. For a key step, index counts earlier members with the same key
 * (0 names the first), so a duplicate key can be pointed at.
 */
struct json_step {
	const char *key;
	size_t index;
};

struct json_path {
	struct json_step step[JSON_PATH_MAX];
	size_t depth;
};

void json_path_push_key(struct json_path *p, const char *key);
void json_path_push_index(struct json_path *p, size_t index);
void json_path_pop(struct json_path *p);

/*
 * Append the path as messages show it: keys joined by '.', indexes in
 * brackets, and keys that are not plain identifiers quoted in brackets
 * (Condition["aws:SourceIp"]). Steps before from are left out.
 */
void json_path_format(const struct json_path *p, size_t from, struct buf *out);

/*
 * Find the value that steps name below the value that starts at or
 * after text[off], which must already be valid JSON. Stores its start
 * in *value and its end in *end, unless end is NULL because finding the
 * end walks the whole value. Stores in *key_off, unless NULL, the offset
 * of its key, or of the value when the last step is an index or there
 * are no steps. Returns 0, or -1 when the path names nothing.
 */
int json_locate(const char *text, size_t len, size_t off,
		const struct json_step *steps, size_t n, size_t *value,
		size_t *end, size_t *key_off);

/*
 * Store the spans of the first max elements of the valid JSON array
 * that starts at or after text[off]. Returns the number stored.
 */
size_t json_array_spans(const char *text, size_t len, size_t off,
			struct json_span *out, size_t max);

/* Store the span of the valid JSON value at or after text[off]. */
void json_value_span(const char *text, size_t len, size_t off,
		     struct json_span *out);

/*
 * A JSON text that paths resolve in. The export is the outermost one.
 * A converter may start a text rooted at a value inside the current one
 * (json_ctx_enter), so that finding a position below that value walks
 * only the value's own bytes. A document decoded from a JSON string (a
 * policy written as a string, plain or percent-encoded) is a text of
 * its own whose offsets are mapped back through the string.
 */
struct json_text {
	const char *text;
	size_t len;
	size_t root;		/* offset of the root value in text */
	size_t depth;		/* path steps that lead to the root */
	const struct json_text *up;	/* the enclosing text; NULL: export */
	bool decoded;		/* text was decoded from a string in up */
	size_t literal;		/* that string's opening quote in up->text */
	bool url_encoded;	/* the string's value was percent-encoded */
	const char *encoded;	/* that value, when url_encoded */
	size_t encoded_len;
};

/*
 * A converter's position: the export, the path of the value at hand,
 * and the text the path resolves in. what, when not NULL, names the
 * thing being read for messages: "role 'ops' inline policy 'read'".
 * Instead of what, a caller may set what_fmt and what_args, which are
 * formatted only when a message is reported. what_args must stay valid
 * until what_fmt is set back to NULL.
 */
struct json_ctx {
	struct source *src;
	struct diag *d;
	struct json_path path;
	const struct json_text *text;
	const char *what;
	const char *what_fmt;
	va_list *what_args;
};

/*
 * Make sub, a text rooted at offset root of c->text's text (the value
 * that c's path names), the current text. json_ctx_leave restores the
 * enclosing text.
 */
void json_ctx_enter(struct json_ctx *c, struct json_text *sub, size_t root);
void json_ctx_leave(struct json_ctx *c, struct json_text *sub);

/* Return the location in the export of the value the path names. */
struct loc json_ctx_loc(const struct json_ctx *c);

/* Return the export location of v, a node parsed from c->text's text. */
struct loc json_node_loc(const struct json_ctx *c, const cJSON *v);

/*
 * Find the value the path names in the innermost text that contains it.
 * Stores that text in *t and the value's start in it in *off. Returns
 * 0, or -1 when the path names nothing.
 */
int json_ctx_find(const struct json_ctx *c, const struct json_text **t,
		  size_t *off);

/*
 * Map offsets in t's text to offsets in the export, in place. offs
 * must be sorted in ascending order; the mapping walks each string
 * once.
 */
void json_text_map(const struct json_text *t, size_t *offs, size_t n);

/*
 * Report "PATH: MESSAGE (in WHAT)" at the value the path names, or at
 * its key with json_ctx_error_key. For a value inside a decoded
 * document, a note gives the line and column inside that document.
 * Return -1 so that callers can write `return json_ctx_error(...)`.
 */
int json_ctx_error(struct json_ctx *c, const char *fmt, ...)
	PRINTF_LIKE(2, 3);
int json_ctx_error_key(struct json_ctx *c, const char *fmt, ...)
	PRINTF_LIKE(2, 3);
void json_ctx_warning(struct json_ctx *c, const char *fmt, ...)
	PRINTF_LIKE(2, 3);
void json_ctx_warning_key(struct json_ctx *c, const char *fmt, ...)
	PRINTF_LIKE(2, 3);

/*
 * Report "PATH: WHAT: FAULT (in C->WHAT)" for a fault in t's text, at
 * its position mapped into the export. A note gives the position inside
 * t when t is a decoded JSON document.
 */
void json_ctx_fault(struct json_ctx *c, const struct json_text *t,
		    const char *what, const struct json_fault *f);

/* Return "an object", "a string", ... for messages. */
const char *json_type_name(const cJSON *v);

/*
 * Type-checked member access. Each looks up key (case-sensitive) in
 * obj, which the path names. A missing member is an error when
 * required, else the result is NULL (false for json_get_bool). Returns
 * 0, or -1 after reporting a missing or mistyped member.
 */
int json_get_string(struct json_ctx *c, const cJSON *obj, const char *key,
		    bool required, const char **out);
int json_get_array(struct json_ctx *c, const cJSON *obj, const char *key,
		   bool required, const cJSON **out);
int json_get_object(struct json_ctx *c, const cJSON *obj, const char *key,
		    bool required, const cJSON **out);
int json_get_bool(struct json_ctx *c, const cJSON *obj, const char *key,
		  bool *present, bool *out);

/*
 * Check, like json_get_string, the member v of the object the path
 * names, which the caller has looked up under key (NULL when absent).
 */
int json_member_string(struct json_ctx *c, const cJSON *v, const char *key,
		       bool required, const char **out);

/* Report the second of two members with the same key in obj. */
int json_check_unique_keys(struct json_ctx *c, const cJSON *obj);

#endif
