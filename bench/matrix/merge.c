/*
 * bench/matrix/merge.c - `gcbench merge`: result directories from several
 * machines (or several sessions of one) into one (merge.h; the options are
 * bench/cli/cmd_merge.c's).
 *
 * A cell is a measurement on one machine: runs of one cell from two hosts
 * are not repetitions of one experiment, so merge refuses to put them in
 * one cell unless told (--allow-mixed-hosts), and then says so in
 * run.json.  Repetitions are renumbered per cell (0..n-1) so that (cell,
 * repetition) stays unique; each line keeps where it came from
 * (source_run_id, source_repetition).
 *
 * Every check of the sources (readable, of this format, each run once,
 * hosts not mixed) is made before the output directory is begun, so bad
 * input leaves nothing behind; the output is then written under a
 * temporary name and renamed whole (util/outdir.h).
 */
#include "bench/matrix/merge.h"
#include "bench/exit.h"
#include "bench/cell/cell.h"
#include "bench/resultdir/runs.h"
#include "bench/resultdir/files.h"
#include "util/outdir.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *line_host(json_t *l)
{
    const char *h = json_string_value(json_object_get(l, GCB_K_HOST));
    if (!h)
        h = json_string_value(json_object_get(json_object_get(l, GCB_K_CONTEXT), GCB_K_HOST));
    return h ? h : "unknown";
}

typedef struct item {
    json_t *line;
    size_t src;
} item_t;

static int cmp_item(const void *a, const void *b)
{
    const item_t *x = a, *y = b;
    int c = strcmp(json_string_value(json_object_get(x->line, GCB_K_CELL)),
                   json_string_value(json_object_get(y->line, GCB_K_CELL)));
    if (c)
        return c;
    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    json_int_t rx = json_integer_value(json_object_get(x->line, GCB_K_REP));
    json_int_t ry = json_integer_value(json_object_get(y->line, GCB_K_REP));
    return rx < ry ? -1 : rx > ry;
}

/* What the merge holds while it reads the sources: their run.json
 * entries (merged_from), their runs, and every line in merge order. */
typedef struct merge_in {
    json_t *sources;
    gcb_runs_t *runs;
    size_t nruns;
    item_t *items;
    size_t n, cap;
} merge_in_t;

static void merge_in_free(merge_in_t *in)
{
    for (size_t s = 0; s < in->nruns; s++)
        gcb_runs_free(&in->runs[s]);
    free(in->runs);
    free(in->items);
    json_decref(in->sources);
}

/* run.json of source dir: of this format, and not a run already read. */
static json_t *source_run_json(const merge_in_t *in, const char *dir, char *err, size_t errlen)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/run.json", dir);
    json_error_t jerr;
    json_t *rj = json_load_file(path, 0, &jerr);
    if (!rj) {
        snprintf(err, errlen, "'%s' is not a result directory: cannot read %s: %s", dir, path, jerr.text);
        return NULL;
    }
    if (json_integer_value(json_object_get(rj, GCB_K_FORMAT)) != GCB_MATRIX_FORMAT ||
        json_integer_value(json_object_get(rj, GCB_K_SCHEMA)) != GCB_SCHEMA_VERSION) {
        snprintf(err, errlen, "'%s' was written by an incompatible gcbench (format/schema differ from %d/%d)", dir,
                 GCB_MATRIX_FORMAT, GCB_SCHEMA_VERSION);
        json_decref(rj);
        return NULL;
    }
    const char *id = json_string_value(json_object_get(rj, GCB_K_RUN_ID));
    size_t i;
    json_t *prev;
    json_array_foreach(in->sources, i, prev) {
        const char *pid = json_string_value(json_object_get(prev, GCB_K_RUN_ID));
        const char *phost = json_string_value(json_object_get(json_object_get(prev, GCB_K_CONTEXT), GCB_K_HOST));
        const char *host = json_string_value(json_object_get(json_object_get(rj, GCB_K_CONTEXT), GCB_K_HOST));
        if (id && pid && strcmp(id, pid) == 0 && phost && host && strcmp(phost, host) == 0 &&
            json_equal(json_object_get(prev, GCB_K_ORDER_SEED), json_object_get(rj, GCB_K_ORDER_SEED))) {
            snprintf(err, errlen, "'%s' and '%s' are the same run (%s on %s): each run may be merged once",
                     json_string_value(json_object_get(prev, GCB_K_PATH)), dir, id, host);
            json_decref(rj);
            return NULL;
        }
    }
    return rj;
}

/* Source s (dir): its run.json entry into in->sources, its runs into
 * in->runs[s], its lines into in->items.  -1 with a message. */
static int read_source(merge_in_t *in, size_t s, const char *dir, char *err, size_t errlen)
{
    json_t *rj = source_run_json(in, dir, err, errlen);
    if (!rj)
        return -1;
    json_t *src = json_object();
    json_object_set_new(src, GCB_K_PATH, json_string(dir));
    json_object_set(src, GCB_K_RUN_ID, json_object_get(rj, GCB_K_RUN_ID));
    json_object_set(src, GCB_K_CONTEXT, json_object_get(rj, GCB_K_CONTEXT));
    json_object_set(src, GCB_K_SPEC, json_object_get(rj, GCB_K_SPEC));
    json_object_set(src, GCB_K_ORDER_SEED, json_object_get(rj, GCB_K_ORDER_SEED));
    if (json_object_get(rj, GCB_K_MERGED_FROM))
        json_object_set(src, GCB_K_MERGED_FROM, json_object_get(rj, GCB_K_MERGED_FROM));
    json_array_append_new(in->sources, src);
    json_decref(rj);
    char e[2048];
    if (gcb_runs_load(dir, &in->runs[s], NULL, e, sizeof e)) {
        snprintf(err, errlen, "%s", e);
        return -1;
    }
    in->nruns = s + 1;
    for (size_t k = 0; k < in->runs[s].n; k++) {
        if (in->n == in->cap) {
            in->cap *= 2;
            in->items = realloc(in->items, in->cap * sizeof *in->items);
        }
        in->items[in->n++] = (item_t){ in->runs[s].line[k], s };
    }
    return 0;
}

/* Do the runs of a cell (items sorted by cell) come from several hosts?
 * -1 with a message when they do and that is not allowed. */
static int hosts_mixed(const merge_in_t *in, int allow_mixed, int *mixed, char *err, size_t errlen)
{
    *mixed = 0;
    for (size_t i = 0; i < in->n;) {
        const char *cell = json_string_value(json_object_get(in->items[i].line, GCB_K_CELL));
        const char *h0 = line_host(in->items[i].line);
        size_t j = i;
        while (j < in->n && strcmp(json_string_value(json_object_get(in->items[j].line, GCB_K_CELL)), cell) == 0) {
            const char *h = line_host(in->items[j].line);
            if (strcmp(h, h0) != 0) {
                if (!allow_mixed) {
                    snprintf(err, errlen, "cell '%s' has runs from hosts '%s' and '%s': runs from different "
                             "machines are not repetitions of one measurement (pass --allow-mixed-hosts to "
                             "merge them anyway)", cell, h0, h);
                    return -1;
                }
                *mixed = 1;
            }
            j++;
        }
        i = j;
    }
    return 0;
}

/* Renumber the repetitions per cell and write runs.jsonl into od->tmp in
 * one atomic file; the lines in order into *merged. */
static void write_runs(gcb_outdir_t *od, const merge_in_t *in, gcb_runs_t *merged)
{
    char err[2048], path[8400];
    size_t tcap = 1 << 20, tlen = 0;
    char *text = malloc(tcap);
    text[0] = '\0';
    json_int_t rep = 0;
    const char *prev_cell = "";
    merged->n = 0;
    merged->line = malloc((in->n + 1) * sizeof *merged->line);
    for (size_t i = 0; i < in->n; i++) {
        json_t *l = in->items[i].line;
        const char *cell = json_string_value(json_object_get(l, GCB_K_CELL));
        if (strcmp(cell, prev_cell) != 0)
            rep = 0;
        prev_cell = cell;
        json_t *src = json_array_get(in->sources, in->items[i].src);
        if (!json_object_get(l, GCB_K_SOURCE_RUN)) {
            json_object_set(l, GCB_K_SOURCE_RUN, json_object_get(src, GCB_K_RUN_ID));
            json_object_set(l, GCB_K_SOURCE_REP, json_object_get(l, GCB_K_REP));
        }
        json_object_set_new(l, GCB_K_REP, json_integer(rep++));
        char *s = json_dumps(l, JSON_COMPACT | JSON_SORT_KEYS);
        size_t sl = strlen(s);
        while (tlen + sl + 2 > tcap) {
            tcap *= 2;
            text = realloc(text, tcap);
        }
        memcpy(text + tlen, s, sl);
        tlen += sl;
        text[tlen++] = '\n';
        text[tlen] = '\0';
        free(s);
        merged->line[merged->n++] = l;
    }
    snprintf(path, sizeof path, "%s/runs.jsonl", od->tmp);
    if (gcb_write_text_atomic(path, text, err, sizeof err))
        gcb_outdir_fail(od, "merge", err);
    free(text);
}

/* run.json of the merged directory: this gcbench's context, the command
 * line, where every run came from, and whether hosts mix. */
static void write_run_json(gcb_outdir_t *od, const gcb_merge_opts_t *o, const merge_in_t *in, int mixed)
{
    char err[2048], path[8400];
    json_t *rj = json_object();
    json_object_set_new(rj, GCB_K_FORMAT, json_integer(GCB_MATRIX_FORMAT));
    json_object_set_new(rj, GCB_K_SCHEMA, json_integer(GCB_SCHEMA_VERSION));
    char ob[GCB_PATH_MAX];
    snprintf(ob, sizeof ob, "%s", o->out);
    json_object_set_new(rj, GCB_K_RUN_ID, json_string(basename(ob)));
    json_object_set_new(rj, GCB_K_CONTEXT, gcb_context_json());
    json_t *cmd = json_array();
    json_array_append_new(cmd, json_string("gcbench"));
    for (int i = 0; i < o->argc; i++)
        json_array_append_new(cmd, json_string(o->argv[i]));
    json_object_set_new(rj, GCB_K_COMMAND, cmd);
    json_object_set(rj, GCB_K_MERGED_FROM, in->sources);
    json_object_set_new(rj, GCB_K_MIXED_HOSTS, json_boolean(mixed));
    snprintf(path, sizeof path, "%s/run.json", od->tmp);
    if (gcb_write_json_atomic(path, rj, err, sizeof err))
        gcb_outdir_fail(od, "merge", err);
    json_decref(rj);
}

int gcb_merge(const gcb_merge_opts_t *o, char *err, size_t errlen)
{
    merge_in_t in = { .sources = json_array(), .cap = 1024 };
    in.items = malloc(in.cap * sizeof *in.items);
    in.runs = calloc(o->ndirs, sizeof *in.runs);
    int mixed = 0;
    for (size_t s = 0; s < o->ndirs; s++)
        if (read_source(&in, s, o->dirs[s], err, errlen)) {
            merge_in_free(&in);
            return GCB_EXIT_USAGE;
        }
    qsort(in.items, in.n, sizeof *in.items, cmp_item);
    if (hosts_mixed(&in, o->allow_mixed, &mixed, err, errlen)) {
        merge_in_free(&in);
        return GCB_EXIT_USAGE;
    }
    /* the output directory: written under a temporary name, renamed whole */
    static gcb_outdir_t od;
    char e[2048];
    if (gcb_outdir_begin(&od, o->out, e, sizeof e))
        gcb_outdir_fail(&od, "merge", e);
    gcb_runs_t merged = { 0, NULL };
    write_runs(&od, &in, &merged);
    write_run_json(&od, o, &in, mixed);
    if (gcb_summary_write(od.tmp, &merged, e, sizeof e) || gcb_outdir_commit(&od, e, sizeof e))
        gcb_outdir_fail(&od, "merge", e);
    fprintf(stderr, "gcbench: merge: %zu runs from %zu directories into %s%s\n", in.n, o->ndirs, o->out,
            mixed ? " (some cells mix hosts: see run.json mixed_hosts)" : "");
    free(merged.line);
    merge_in_free(&in);
    return GCB_EXIT_OK;
}
