/*
 * util/number.h - strict decimal numbers for every numeric input.
 *
 * What a user types is either exactly the number they meant or refused:
 *   - integers are decimal: no base prefix (0x10, 010 are refused, not
 *     read as 16 or 8), no leading spaces or zeros, an optional sign;
 *   - an integer may end in k, M or G (x 1000, x 10^6, x 10^9: counts);
 *     the product is overflow-checked, never wrapped;
 *   - reals are [sign] digits [. digits] [e [sign] digits]: no hex floats,
 *     no nan or inf, nothing after the number; a value too large for a
 *     double is out of range;
 *   - sizes are a decimal number (a fraction allowed: 1.5G) with an
 *     optional binary suffix k/M/G/T (x 1024^n) and an optional B or iB;
 *     the byte count is overflow-checked.
 * Each parser returns 0, GCB_NUM_SYNTAX (not a number of that form) or
 * GCB_NUM_RANGE (a well-formed number outside [min, max]).  The *_opt
 * forms write the one-line message every option gives, naming the option,
 * the text, the accepted form and the range.
 */
#ifndef GCB_NUMBER_H
#define GCB_NUMBER_H

#include <stddef.h>
#include <stdint.h>

enum { GCB_NUM_OK = 0, GCB_NUM_SYNTAX = -1, GCB_NUM_RANGE = -2 };

/* Decimal integer, optional k/M/G (powers of 1000), any int64_t. */
int gcb_parse_int(const char *s, int64_t *out);
/* Decimal real, finite. */
int gcb_parse_double(const char *s, double *out);
/* Byte size with optional k/M/G/T (powers of 1024) and B/iB. */
int gcb_parse_size(const char *s, uint64_t *out);

/* The same in [min, max] (inclusive). */
int gcb_parse_int_range(const char *s, int64_t min, int64_t max, int64_t *out);
int gcb_parse_double_range(const char *s, double min, double max, double *out);
int gcb_parse_size_range(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Parse and, on failure, write "WHAT 'TEXT': give a decimal integer from
 * MIN to MAX" (or the real/size form) into err.  0 or -1. */
int gcb_opt_int(const char *what, const char *s, int64_t min, int64_t max, int64_t *out,
                char *err, size_t errlen);
int gcb_opt_double(const char *what, const char *s, double min, double max, double *out,
                   char *err, size_t errlen);
int gcb_opt_size(const char *what, const char *s, uint64_t min, uint64_t max, uint64_t *out,
                 char *err, size_t errlen);

/* A byte count as the shortest exact suffixed text (1048576 -> "1M"),
 * for messages.  buf of at least 32 bytes. */
const char *gcb_size_text(uint64_t bytes, char *buf, size_t len);

#endif
