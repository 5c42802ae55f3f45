/*
 * bench/report/format.c - the number formatters of report.md and the
 * figures (format.h says which is for what).
 */
#include "bench/report/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* largest first; a duration takes the first unit it reaches */
static const gcb_unit_t time_units[] = { { 1, "s" }, { 1e-3, "ms" }, { 1e-6, "µs" }, { 1e-9, "ns" } };
#define NTIME_UNITS (sizeof time_units / sizeof time_units[0])

gcb_unit_t gcb_fmt_time_unit(double s)
{
    size_t u = 0;
    while (u + 1 < NTIME_UNITS && s < time_units[u].div)
        u++;
    return time_units[u];
}

gcb_unit_t gcb_fmt_byte_unit(double max_b)
{
    if (max_b < 1048576)
        return (gcb_unit_t){ 1024, "KiB" };
    if (max_b < 1073741824.0)
        return (gcb_unit_t){ 1048576, "MiB" };
    return (gcb_unit_t){ 1073741824.0, "GiB" };
}

void gcb_fmt_sig2(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.2g", v);
    double r = strtod(buf, NULL);
    int dec = r > 0 ? 1 - (int)floor(log10(r)) : 0;
    snprintf(buf, n, "%.*f", dec < 0 ? 0 : dec, r);
}

void gcb_fmt_duration2(char *buf, size_t n, double s)
{
    char t[16]; /* "%.2g" of any double, "990" at most once in its unit */
    snprintf(t, sizeof t, "%.2g", s);
    double v = strtod(t, NULL);
    gcb_unit_t u = gcb_fmt_time_unit(v);
    gcb_fmt_sig2(t, sizeof t, v / u.div);
    snprintf(buf, n, "%s %s", t, u.name);
}

void gcb_fmt_duration3(char *buf, size_t n, double s)
{
    if (isnan(s)) {
        snprintf(buf, n, "-");
        return;
    }
    gcb_unit_t u = gcb_fmt_time_unit(s);
    snprintf(buf, n, u.div < 1e-6 ? "%.0f %s" : "%.3g %s", s / u.div, u.name);
}

void gcb_fmt_elapsed(char *buf, size_t n, double s)
{
    if (isnan(s))
        snprintf(buf, n, "-");
    else if (s < 60)
        snprintf(buf, n, "%.1f s", s);
    else
        snprintf(buf, n, "%d min %02d s", (int)(s / 60), (int)fmod(s, 60));
}

void gcb_fmt_si(char *b, size_t n, double v)
{
    static const char *const pre[] = { "", "k", "M", "G", "T" };
    int i = 0;
    while (fabs(v) >= 1000 && i < 4) {
        v /= 1000;
        i++;
    }
    snprintf(b, n, "%.4g%s", v, pre[i]);
}
