/*
 * bench/resultdir/filter.h - the one filter language over a result
 * directory's cells (compare's FILTER_A/FILTER_B, plot's and matrix's
 * --timeline).
 *
 * A filter is either
 *   KEY=VALUE[,KEY=VALUE...]  every term must hold: KEY is allocator,
 *                             collector, workload or a -p parameter, VALUE
 *                             its exact value (it may hold '/', e.g. a
 *                             trace path);
 *   a shell pattern           over cell names (fnmatch, e.g. 'glibc/rc/ *'
 *                             without the space), recognised by a '/' or a
 *                             wildcard (*?[) before the first '='.
 * GCB_FILTER_HELP is the text every command's usage prints for it.
 */
#ifndef GCB_FILTER_H
#define GCB_FILTER_H

#include <jansson.h>
#include <stddef.h>

#define GCB_FILTER_MAX_TERMS 8

typedef struct gcb_filter {
    const char *text;                  /* as given (borrowed) */
    int pattern;                       /* 1: a shell pattern over cell names */
    size_t n;                          /* KEY=VALUE terms, 1..GCB_FILTER_MAX_TERMS */
    char key[GCB_FILTER_MAX_TERMS][64];
    char val[GCB_FILTER_MAX_TERMS][256];
} gcb_filter_t;

/* The one help text, for the usage texts (a literal, to concatenate). */
#define GCB_FILTER_HELP                                                                          \
    "A FILTER is KEY=VALUE[,KEY=VALUE...] over allocator, collector, workload or a\n"             \
    "parameter (every term must hold: allocator=glibc, collector=gen,threshold0=700), or a\n"     \
    "shell pattern over cell names ('glibc/*/cycles/*'); one that matches no cell is an\n"        \
    "error naming what the directory holds.\n"

/* Parse `text`.  -1 with a one-line message (what a filter is) when it is
 * empty or malformed. */
int gcb_filter_parse(const char *text, gcb_filter_t *f, char *err, size_t errlen);
/* Does a cell (its name, coordinates and params object) match? */
int gcb_filter_match(const gcb_filter_t *f, const char *cell, const char *alloc, const char *coll,
                     const char *wl, const json_t *params);
/* The same for a runs.jsonl line. */
int gcb_filter_match_line(const gcb_filter_t *f, const json_t *line);
/* Does the filter fix `key` (one of its KEY=VALUE terms)? */
int gcb_filter_fixes(const gcb_filter_t *f, const char *key);
/* "filter 'X' matches no cell of WHERE; it has allocator a,b; collector
 * ...; workload ...; parameters ..." from the lines the filter ran over. */
void gcb_filter_no_match(const gcb_filter_t *f, const char *where, json_t *const *lines, size_t n, char *out,
                         size_t outlen);
/* "allocator a,b; collector c; workload w; parameters p,q": the
 * coordinates `lines` hold, for messages naming what exists. */
void gcb_filter_what_exists(json_t *const *lines, size_t n, char *out, size_t outlen);

#endif
