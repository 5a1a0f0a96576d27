#ifndef MANDATE_COMPILER_PCRELIB_H
#define MANDATE_COMPILER_PCRELIB_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct diag;
struct loc;

/*
 * PCRE2's 8-bit library, loaded with dlopen when a gate's owner_pattern
 * or agent_name_pattern is first compiled, so runs without either never
 * map it. The binary is not linked with -lpcre2-8, so every PCRE2
 * function that mandate calls is a member of the table pcre2, with the
 * prototype that pcre2.h declares: pcre2.code_free(re) calls
 * pcre2_code_free_8. Types and constants still come from pcre2.h. A new
 * call into PCRE2 needs the function's name in this list, without the
 * pcre2_ prefix.
 */
#define PCRELIB_FUNCTIONS(X)						\
	X(code_free) X(compile) X(get_error_message) X(match)		\
	X(match_context_create) X(match_context_free)			\
	X(match_data_create) X(match_data_free)				\
	X(set_depth_limit) X(set_match_limit)

/* The PCRE2 functions that mandate calls, resolved with dlsym. */
struct pcrelib {
#define PCRELIB_MEMBER(name) __typeof__(pcre2_##name) *name;
	PCRELIB_FUNCTIONS(PCRELIB_MEMBER)
#undef PCRELIB_MEMBER
};

/*
 * The options every gate pattern is compiled with: UTF-8 text, and '$'
 * matching only at the end of the subject, not before a final newline,
 * so an address or a name with a trailing newline does not match.
 */
#define PCRELIB_COMPILE_OPTIONS (PCRE2_UTF | PCRE2_DOLLAR_ENDONLY)

/* Filled by pcrelib_load. Every member is NULL before it succeeds. */
extern struct pcrelib pcre2;

/*
 * Load PCRE2 by the soname it had at build time and fill pcre2, or do
 * nothing when an earlier call succeeded. The library stays loaded
 * until the process exits. Returns 0, or -1 after reporting to d at
 * the pattern at, with dlerror's text, that the library cannot be
 * loaded or lacks a function that field needs. pcre2 is then left as
 * it was.
 */
int pcrelib_load(struct diag *d, const struct loc *at, const char *field);

#endif
