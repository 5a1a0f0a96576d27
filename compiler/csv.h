#ifndef MANDATE_COMPILER_CSV_H
#define MANDATE_COMPILER_CSV_H

#include "buf.h"

/*
 * Write CSV as RFC 4180 ("Common Format and MIME Type for
 * Comma-Separated Values Files") defines it: records end in CRLF, and a
 * field that contains a comma, a double quote, CR or LF is enclosed in
 * double quotes with each inner quote doubled.
 *
 * Fields are also made safe to open in a spreadsheet. A spreadsheet
 * may read a value that starts with '=', '+', '-', '@', a tab, CR or
 * LF, or with blanks before '=', '+', '-' or '@', as a formula, so such
 * a value gets a leading single quote, the escape that the OWASP
 * Application Security Verification Standard (requirement 1.2.10)
 * recommends. Control characters other than tab, CR and LF become
 * '?', so that a file printed to a terminal cannot send escape
 * sequences. NULL is written as an empty field.
 */

/* Append one field to out, preceded by a comma unless first is true. */
void csv_add_field(struct buf *out, const char *value, bool first);

/* End the current record. */
void csv_end_record(struct buf *out);

#endif
