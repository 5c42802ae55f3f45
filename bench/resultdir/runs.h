/*
 * bench/resultdir/runs.h - a result directory's runs.jsonl: loading its
 * lines, one metric of a line, appending a line; summary.csv and the
 * printed per-cell table.
 */
#ifndef GCB_RUNS_H
#define GCB_RUNS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Version of the result-directory layout (run.json + runs.jsonl); a
 * --resume of a directory written with another one is refused. */
#define GCB_MATRIX_FORMAT 1

typedef struct gcb_runs {
    size_t n;
    json_t **line;            /* parsed runs.jsonl lines (owned) */
} gcb_runs_t;

/* Load DIR/runs.jsonl.  Unparsable lines (a truncated last line after a
 * kill) are skipped with a warning on stderr.  *valid_bytes: the length
 * of the prefix made of complete lines (resume truncates to it).  -1 with
 * a message if the file cannot be read (a missing file is empty). */
int gcb_runs_load(const char *dir, gcb_runs_t *runs, long *valid_bytes, char *err, size_t errlen);
void gcb_runs_free(gcb_runs_t *runs);
/* A metric of one line by dotted path ("gc.pause_ns.p99"); peak_rss_bytes,
 * minor_faults and major_faults come from the parent's wait4 when present.
 * NAN when absent. */
double gcb_run_metric(json_t *line, const char *metric);
/* Write DIR/summary.csv atomically from the ok runs.  -1 with a message. */
int gcb_summary_write(const char *dir, const gcb_runs_t *runs, char *err, size_t errlen);
/* Print the per-cell table (median ops/s, its CI, peak RSS, n) to out. */
void gcb_summary_print(FILE *out, const gcb_runs_t *runs);
/* Append one JSON line (compact, one write) and fsync. -1 on error. */
int gcb_append_line(int fd, json_t *obj);

#endif
