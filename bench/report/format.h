/*
 * bench/report/format.h - the one set of number formatters of gcbench:
 * units (one spelling each: ns, µs, ms, s; KiB, MiB, GiB), durations at
 * the two precisions the pages use, elapsed times, counts and byte sizes
 * with a prefix, and numbers to two significant digits.  Every figure a
 * page, a table, a progress line or a job script prints goes through one
 * of these, so a unit is spelled the same way everywhere.
 *
 * Where two functions print the same kind of quantity differently, each
 * spelling is one that something reads as it is: report.md (checked byte
 * for byte against results/reference), the columns of a terminal table,
 * the `gcbench run` line, the ticking progress line, Slurm's --time.  The
 * header depends on nothing but <stddef.h>, so any layer of bench/ may
 * include it.
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
/* A duration given in nanoseconds (as pauses are recorded) to three
 * significant digits, whole nanoseconds below 1 µs: "160 ns", "12.3 µs",
 * "1.9 ms" (report.md's tables); "-" for NAN.  It divides the nanoseconds
 * themselves, never a value converted to seconds and back, so the third
 * digit rounds the same way as the recorded figure. */
void gcb_fmt_duration3_ns(char *buf, size_t n, double ns);
/* A value to four significant digits with an SI prefix (powers of 1000):
 * "75.81M", "1.234k", "0.5" (`gcbench compare`'s medians). */
void gcb_fmt_si(char *buf, size_t n, double v);
/* An elapsed time: "12.3 s", "3 min 04 s"; "-" for NAN (report.md). */
void gcb_fmt_elapsed(char *buf, size_t n, double s);
/* An elapsed time or an ETA as a clock, "4:05" or "1:02:03", whole seconds
 * truncated; "?" when negative, NAN or infinite (the progress line of
 * `gcbench matrix`, whose width stays put as it ticks). */
void gcb_fmt_clock(char *buf, size_t n, double s);
/* A duration as Slurm's --time wants it, "D-HH:MM:SS", rounded up to the
 * next whole second so the limit is never below `s`. */
void gcb_fmt_slurm_time(char *buf, size_t n, double s);

/* A count or a size to three significant digits with a prefix: powers of
 * 1000 ("75.8 M", "12.3 k ops/s" with unit "ops/s"), or of 1024 when unit
 * is "B" ("1.5 GiB"); no blank when there is neither prefix nor unit
 * ("12.3"); "-" for NAN (report.md, the figures, `gcbench compare`). */
void gcb_fmt_human(char *buf, size_t n, double v, const char *unit);
/* The same for a right-aligned terminal column: always a blank where the
 * prefix goes ("12.3 " lines up with "75.8 M"), prefixes up to T, and NAN
 * printed as printf prints it (the summary table after `gcbench matrix`). */
void gcb_fmt_human_aligned(char *buf, size_t n, double v, const char *unit);
/* Bytes to one decimal in the unit they reach: "512.0 B", "1.5 KiB", up
 * to TiB (the one-line result of `gcbench run`). */
void gcb_fmt_bytes1(char *buf, size_t n, double bytes);

#endif
