/*
 * bench/report/format.h - the one set of number formatters of report.md
 * and the figures: units (one spelling each: ns, µs, ms, s; KiB, MiB,
 * GiB), durations at the two precisions the pages use, elapsed times, and
 * numbers to two significant digits.  Counts and byte sizes in the tables
 * use gcb_rset_human (bench/resultdir/cells.h), as `gcbench compare` does.
 */
#ifndef GCB_REPORT_FORMAT_H
#define GCB_REPORT_FORMAT_H

#include <stddef.h>

/* A unit: a value divided by `div` reads in `name`. */
typedef struct gcb_unit {
    double div;
    const char *name;
} gcb_unit_t;

/* The unit a duration of `s` seconds (or an axis up to it) reads best in:
 * 160 ns, 12 µs, 1.9 ms, 3 s. */
gcb_unit_t gcb_fmt_time_unit(double s);
/* The unit of an axis of bytes up to `max_b`: KiB, MiB or GiB. */
gcb_unit_t gcb_fmt_byte_unit(double max_b);

/* A number to two significant digits without an exponent, as a heatmap
 * cell prints it: 0.093, 0.93, 1.2, 12, 150. */
void gcb_fmt_sig2(char *buf, size_t n, double v);
/* A duration to two significant digits in its unit, rounded first so that
 * 999.7 µs prints as "1.0 ms" (the heatmap cells). */
void gcb_fmt_duration2(char *buf, size_t n, double s);
/* A duration to three significant digits, whole nanoseconds below 1 µs:
 * "160 ns", "12.3 µs", "1.9 ms" (report.md's tables); "-" for NAN. */
void gcb_fmt_duration3(char *buf, size_t n, double s);
/* A value to four significant digits with an SI prefix (powers of 1000):
 * "75.81M", "1.234k", "0.5" (`gcbench compare`'s medians). */
void gcb_fmt_si(char *buf, size_t n, double v);
/* An elapsed time: "12.3 s", "3 min 04 s"; "-" for NAN. */
void gcb_fmt_elapsed(char *buf, size_t n, double s);

#endif
