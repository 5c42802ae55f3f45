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

#include "bench/resultdir/keys.h"

/* Version of the result-directory layout (run.json + runs.jsonl); a
 * --resume of a directory written with another one is refused. */
#define GCB_MATRIX_FORMAT 1

typedef struct gcb_runs {
    size_t n;
    json_t **line;            /* parsed runs.jsonl lines (owned), in file order */
    size_t invalid;           /* complete lines skipped: not a record of a known schema_version */
    size_t duplicates;        /* lines repeating an earlier (cell, repetition): counted once */
} gcb_runs_t;

/* Load DIR/runs.jsonl.  A line that is not a valid record (not JSON, not
 * of schema_version GCB_SCHEMA_VERSION, no cell or repetition >= 0, a
 * status neither ok nor failed, a metric that is not a number >= 0) is
 * skipped with one warning naming the file and line, and counted in
 * `invalid`; a truncated last line (a kill) is skipped with a warning.  A
 * line repeating an earlier (cell, repetition) is counted once, with a
 * warning, and counted in `duplicates`.  *valid_bytes: the length of the
 * prefix made of complete lines (resume truncates to it).  -1 with a
 * message if the file cannot be read (a missing file is empty). */
int gcb_runs_load(const char *dir, gcb_runs_t *runs, long *valid_bytes, char *err, size_t errlen);
/* The same, keeping repeated (cell, repetition) lines silently (shard
 * merging refuses them itself). */
int gcb_runs_load_all(const char *dir, gcb_runs_t *runs, char *err, size_t errlen);

/* DIR/run.json into *out.  -1 with a one-line message when it is missing,
 * cannot be read or parsed (a truncated file), or is of another
 * matrix_format or schema_version: every command that reads a directory's
 * cells refuses it (issue 10: a missing run.json is exit 2, never a
 * report without its context). */
int gcb_runjson_load(const char *dir, json_t **out, char *err, size_t errlen);

/* The one "run was ok" test: status "ok". */
int gcb_run_ok(const json_t *line);
/* The one JSON string getter: o[key] when it is a string, else dflt. */
const char *gcb_run_str(const json_t *o, const char *key, const char *dflt);
/* The same with "" for a missing or non-string value: the one JSON string
 * getter of bench/ (report, drift, cluster and cells use it). */
static inline const char *gcb_json_str(const json_t *o, const char *key) { return gcb_run_str(o, key, ""); }
/* The record's repetition (-1 when absent). */
long long gcb_run_rep(const json_t *line);

/* Lines grouped by a key, once: `key` writes a line's group key (returns 0
 * to leave the line out); groups sorted by key, lines within a group by
 * repetition, then by their order in `lines`. */
typedef int (*gcb_group_key_fn)(json_t *line, void *ctx, char *key, size_t keylen);
typedef struct gcb_group {
    const char *key;
    json_t **line;
    size_t n;
} gcb_group_t;
typedef struct gcb_groups {
    size_t n;
    gcb_group_t *g;
    json_t **lines__;         /* storage */
    char *keys__;
} gcb_groups_t;
void gcb_runs_group(json_t *const *lines, size_t n, gcb_group_key_fn key, void *ctx, gcb_groups_t *out);
/* The key that groups by cell name. */
int gcb_group_by_cell(json_t *line, void *ctx, char *key, size_t keylen);
void gcb_groups_free(gcb_groups_t *g);
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
