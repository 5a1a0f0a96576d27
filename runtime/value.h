#ifndef MANDATE_RUNTIME_VALUE_H
#define MANDATE_RUNTIME_VALUE_H

#include <stdbool.h>

/*
 * The typed values of IAM's numeric, date, binary and IP address
 * condition operators, parsed and compared. Each function returns false
 * when either value is not of its type, and then stores nothing.
 * Nothing here allocates on the heap.
 */

/*
 * Compare two decimal numbers ("-12", "0.50") exactly, at any length.
 * Stores a negative number, zero or a positive one in *cmp as a is less
 * than, equal to or greater than b.
 */
bool value_compare_decimal(const char *a, const char *b, int *cmp);

/*
 * Compare two dates, each epoch seconds or a W3C profile of ISO 8601
 * with a zone ("2026-01-01", "2026-01-01T10:00:00.5+01:00"), as
 * value_compare_decimal does.
 */
bool value_compare_date(const char *a, const char *b, int *cmp);

/*
 * Store in *equal whether the padded base64 texts a and b decode to the
 * same bytes. Texts that decode to more than 2048 bytes are rejected.
 */
bool value_binary_equal(const char *a, const char *b, bool *equal);

/*
 * Store in *in whether the IPv4 or IPv6 address ip lies in block, a CIDR
 * block or a single address. Addresses of the two families never meet.
 */
bool value_ip_in_block(const char *ip, const char *block, bool *in);

#endif
