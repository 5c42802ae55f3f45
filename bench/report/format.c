/*
 * bench/report/format.c - the number formatters of gcbench (format.h says
 * which is for what, and why some quantities have two spellings).
 */
#include "bench/report/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void gcb_fmt_duration3_ns(char *buf, size_t n, double ns)
{
    if (isnan(ns))
        snprintf(buf, n, "-");
    else if (ns < 1e3)
        snprintf(buf, n, "%.0f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, n, "%.3g µs", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, n, "%.3g ms", ns / 1e6);
    else
        snprintf(buf, n, "%.3g s", ns / 1e9);
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

void gcb_fmt_clock(char *buf, size_t n, double s)
{
    if (s < 0 || isnan(s) || isinf(s))
        snprintf(buf, n, "?");
    else if (s < 3600)
        snprintf(buf, n, "%d:%02d", (int)s / 60, (int)s % 60);
    else
        snprintf(buf, n, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60, (int)s % 60);
}

void gcb_fmt_slurm_time(char *buf, size_t n, double s)
{
    long long t = (long long)ceil(s);
    snprintf(buf, n, "%lld-%02lld:%02lld:%02lld", t / 86400, t / 3600 % 24, t / 60 % 60, t % 60);
}

/* v over powers of 1000 (1024 for unit "B") up to prefix pre[maxi]; the
 * blank before prefix and unit is left out only when both are empty and
 * `blank` is 0. */
static void human_scaled(char *b, size_t n, double v, const char *unit, int maxi, int blank)
{
    static const char *const pre[] = { "", "k", "M", "G", "T", "P" };
    int bytes = strcmp(unit, "B") == 0;
    double div = bytes ? 1024 : 1000;
    int i = 0;
    while (fabs(v) >= div && i < maxi) {
        v /= div;
        i++;
    }
    snprintf(b, n, "%.3g%s%s%s%s", v, blank || *unit || i ? " " : "", pre[i], bytes && i ? "i" : "", unit);
}

void gcb_fmt_human(char *buf, size_t n, double v, const char *unit)
{
    if (isnan(v)) {
        snprintf(buf, n, "-");
        return;
    }
    human_scaled(buf, n, v, unit, 5, 0);
}

void gcb_fmt_human_aligned(char *buf, size_t n, double v, const char *unit)
{
    human_scaled(buf, n, v, unit, 4, 1);
}

void gcb_fmt_bytes1(char *buf, size_t n, double bytes)
{
    static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    int i = 0;
    while (bytes >= 1024 && i < 4) {
        bytes /= 1024;
        i++;
    }
    snprintf(buf, n, "%.1f %s", bytes, u[i]);
}
