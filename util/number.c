/*
 * util/number.c - strict decimal parsing (see number.h).
 *
 * The grammar is checked by hand before any conversion: strtoll and strtod
 * accept far more than a user means (base prefixes, leading spaces, hex
 * floats, "nan", "infinity"), so they only ever see text already known to
 * be plain decimal.  Integer arithmetic is overflow-checked with the
 * compiler's checked builtins, so no input reaches undefined behaviour.
 */
#include "util/number.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_digits(const char *p)
{
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

/* [+-] digits, no leading zero unless the digits are "0" alone; the end of
 * the digits in *end, the digits' start in *digits.  0 or GCB_NUM_SYNTAX. */
static int int_digits(const char *s, const char **digits, const char **end)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    const char *e = skip_digits(p);
    if (e == p || (*p == '0' && e - p > 1))
        return GCB_NUM_SYNTAX;
    *digits = p;
    *end = e;
    return GCB_NUM_OK;
}

int gcb_parse_int(const char *s, int64_t *out)
{
    const char *digits, *end;
    if (!s || int_digits(s, &digits, &end))
        return GCB_NUM_SYNTAX;
    int64_t mul = 1;
    const char *suffix = end;
    if (*suffix == 'k' || *suffix == 'K') { mul = 1000; suffix++; }
    else if (*suffix == 'M') { mul = 1000000; suffix++; }
    else if (*suffix == 'G') { mul = 1000000000; suffix++; }
    if (*suffix)
        return GCB_NUM_SYNTAX;
    /* accumulate negatively so INT64_MIN is representable */
    int64_t v = 0;
    for (const char *p = digits; p < end; p++)
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, *p - '0', &v))
            return GCB_NUM_RANGE;
    if (__builtin_mul_overflow(v, mul, &v))
        return GCB_NUM_RANGE;
    if (*s != '-') {
        if (v == INT64_MIN)
            return GCB_NUM_RANGE;
        v = -v;
    }
    *out = v;
    return GCB_NUM_OK;
}

/* [+-] digits [. digits] [e [+-] digits]; at least one digit before or
 * after the point.  The end of the number, or NULL. */
static const char *real_end(const char *s, int allow_sign)
{
    const char *p = s;
    if (allow_sign && (*p == '+' || *p == '-'))
        p++;
    const char *int_end = skip_digits(p);
    const char *q = int_end;
    const char *frac_end = q;
    if (*q == '.')
        frac_end = skip_digits(q + 1);
    if (int_end == p && frac_end <= q + 1)
        return NULL;
    q = frac_end;
    if (*q == 'e' || *q == 'E') {
        const char *r = q + 1;
        if (*r == '+' || *r == '-')
            r++;
        const char *exp_end = skip_digits(r);
        if (exp_end == r)
            return NULL;
        q = exp_end;
    }
    return q;
}

int gcb_parse_double(const char *s, double *out)
{
    if (!s)
        return GCB_NUM_SYNTAX;
    const char *e = real_end(s, 1);
    if (!e || *e)
        return GCB_NUM_SYNTAX;
    errno = 0;
    double v = strtod(s, NULL);
    if (!isfinite(v))
        return GCB_NUM_RANGE;
    *out = v;
    return GCB_NUM_OK;
}

int gcb_parse_size(const char *s, uint64_t *out)
{
    if (!s)
        return GCB_NUM_SYNTAX;
    const char *e = real_end(s, 0);
    if (!e)
        return GCB_NUM_SYNTAX;
    int shift = 0;
    switch (*e) {
    case 'k': case 'K': shift = 10; e++; break;
    case 'm': case 'M': shift = 20; e++; break;
    case 'g': case 'G': shift = 30; e++; break;
    case 't': case 'T': shift = 40; e++; break;
    }
    if (*e == 'i' && e[1] == 'B' && shift)
        e += 2;
    else if (*e == 'B')
        e++;
    if (*e)
        return GCB_NUM_SYNTAX;
    /* long double holds every uint64_t below 2^64 exactly on x86-64; the
     * comparison against 2^64 is exact, so the cast cannot overflow */
    errno = 0;
    long double v = strtold(s, NULL) * (long double)(1ull << shift);
    if (!isfinite(v) || v >= 18446744073709551616.0L)
        return GCB_NUM_RANGE;
    *out = (uint64_t)(v + 0.5L);
    return GCB_NUM_OK;
}

int gcb_parse_int_range(const char *s, int64_t min, int64_t max, int64_t *out)
{
    int64_t v;
    int rc = gcb_parse_int(s, &v);
    if (rc)
        return rc;
    if (v < min || v > max)
        return GCB_NUM_RANGE;
    *out = v;
    return GCB_NUM_OK;
}

int gcb_parse_double_range(const char *s, double min, double max, double *out)
{
    double v;
    int rc = gcb_parse_double(s, &v);
    if (rc)
        return rc;
    if (!(v >= min && v <= max))
        return GCB_NUM_RANGE;
    *out = v;
    return GCB_NUM_OK;
}

int gcb_parse_size_range(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t v;
    int rc = gcb_parse_size(s, &v);
    if (rc)
        return rc;
    if (v < min || v > max)
        return GCB_NUM_RANGE;
    *out = v;
    return GCB_NUM_OK;
}

int gcb_opt_int(const char *what, const char *s, int64_t min, int64_t max, int64_t *out,
                char *err, size_t errlen)
{
    if (gcb_parse_int_range(s, min, max, out) == GCB_NUM_OK)
        return 0;
    snprintf(err, errlen, "%s '%s': give a decimal integer from %" PRId64 " to %" PRId64
             " (k, M, G multiply by 1000, 10^6, 10^9)", what, s, min, max);
    return -1;
}

int gcb_opt_double(const char *what, const char *s, double min, double max, double *out,
                   char *err, size_t errlen)
{
    if (gcb_parse_double_range(s, min, max, out) == GCB_NUM_OK)
        return 0;
    snprintf(err, errlen, "%s '%s': give a decimal number from %.15g to %.15g", what, s, min, max);
    return -1;
}

const char *gcb_size_text(uint64_t bytes, char *buf, size_t len)
{
    static const char units[] = "kMGT";
    int u = -1;
    uint64_t v = bytes;
    while (u < 3 && v && v % 1024 == 0) {
        v /= 1024;
        u++;
    }
    if (u < 0)
        snprintf(buf, len, "%" PRIu64, bytes);
    else
        snprintf(buf, len, "%" PRIu64 "%c", v, units[u]);
    return buf;
}

int gcb_opt_size(const char *what, const char *s, uint64_t min, uint64_t max, uint64_t *out,
                 char *err, size_t errlen)
{
    if (gcb_parse_size_range(s, min, max, out) == GCB_NUM_OK)
        return 0;
    char lo[32], hi[32];
    snprintf(err, errlen, "%s '%s': give a size from %s to %s bytes, e.g. 512M or 4G "
             "(k, M, G, T multiply by 1024)", what, s,
             gcb_size_text(min, lo, sizeof lo), gcb_size_text(max, hi, sizeof hi));
    return -1;
}
