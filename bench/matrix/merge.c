/*
 * bench/matrix/merge.c - `gcbench merge`: result directories from several
 * machines (or several sessions of one) into one.
 *
 * A cell is a measurement on one machine: runs of one cell from two hosts
 * are not repetitions of one experiment, so merge refuses to put them in
 * one cell unless told (--allow-mixed-hosts), and then says so in
 * run.json.  Repetitions are renumbered per cell (0..n-1) so that (cell,
 * repetition) stays unique; each line keeps where it came from
 * (source_run_id, source_repetition).
 */
#include "bench/cli/cli.h"
#include "bench/cell/cell.h"
#include "bench/resultdir/runs.h"
#include "bench/resultdir/files.h"
#include "bench/cluster/cluster.h"
#include "util/outdir.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char merge_help[] =
    "usage: gcbench merge DIR... --out DIR [--allow-mixed-hosts]\n"
    "       gcbench merge SHARD_DIR... --out DIR [--partial]\n"
    "\n"
    "Combine result directories (from gcbench matrix, e.g. one per machine of a\n"
    "cluster) into a new one with run.json, runs.jsonl and summary.csv.  Runs of one\n"
    "cell made on different hosts are refused unless --allow-mixed-hosts is given.\n"
    "Shards of one plan (gcbench matrix --shard K/N) merge into the plan's result: same\n"
    "spec and order seed, no run twice, none missing unless --partial (docs/cluster.md).\n"
    "\n"
    "  --out DIR             the new result directory (must not exist, or be empty)\n"
    "  --allow-mixed-hosts   put runs from different hosts in one cell, and say so\n"
    "  --partial             shards: merge although runs are missing, and list them\n"
    "  -h, --help            this text\n"
    "\n"
    "Exit status: 0, 1 a file could not be written (nothing is left), 2 bad input.\n";

#define die_usage(...) gcb_usage_error("merge", __VA_ARGS__)

static const char *line_host(json_t *l)
{
    const char *h = json_string_value(json_object_get(l, "host"));
    if (!h)
        h = json_string_value(json_object_get(json_object_get(l, "context"), "host"));
    return h ? h : "unknown";
}

typedef struct item {
    json_t *line;
    size_t src;
} item_t;

static int cmp_item(const void *a, const void *b)
{
    const item_t *x = a, *y = b;
    int c = strcmp(json_string_value(json_object_get(x->line, "cell")),
                   json_string_value(json_object_get(y->line, "cell")));
    if (c)
        return c;
    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    json_int_t rx = json_integer_value(json_object_get(x->line, "repetition"));
    json_int_t ry = json_integer_value(json_object_get(y->line, "repetition"));
    return rx < ry ? -1 : rx > ry;
}

int gcb_cmd_merge(int argc, char **argv, char **full_argv)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' },
        { "allow-mixed-hosts", no_argument, NULL, 'M' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *out = NULL;
    int allow_mixed = 0, ch;
    if (gcb_shard_merge_wanted(argc, argv))
        return gcb_shard_merge(argc, argv); /* shards of one plan: bench/cluster/shardmerge.c */
    static const gcb_cli_spec_t cli_spec = { "merge", "merge", merge_help, ":h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &cli_spec, argc, argv);
    while ((ch = gcb_cli_next(&cli)) != -1) {
        switch (ch) {
        case 'o':
            if (out)
                die_usage("--out given twice ('%s', then '%s'): give one", out, cli.arg);
            out = cli.arg;
            break;
        case 'M': allow_mixed = 1; break;
        }
    }
    size_t nsrc = (size_t)(argc - cli.optind);
    if (!out)
        die_usage("give --out DIR, the new result directory");
    if (nsrc < 1)
        die_usage("give the result directories to merge");
    char err[2048], path[8400];
    /* the output is checked before any work (docs/promises.md) */
    if (gcb_outdir_new_check("--out", out, err, sizeof err))
        die_usage("%s", err);

    json_t *sources = json_array();
    size_t cap = 1024, n = 0;
    item_t *items = malloc(cap * sizeof *items);
    gcb_runs_t *runs = calloc(nsrc, sizeof *runs);
    for (size_t s = 0; s < nsrc; s++) {
        const char *dir = argv[cli.optind + (int)s];
        snprintf(path, sizeof path, "%s/run.json", dir);
        json_error_t jerr;
        json_t *rj = json_load_file(path, 0, &jerr);
        if (!rj)
            die_usage("'%s' is not a result directory: cannot read %s: %s", dir, path, jerr.text);
        if (json_integer_value(json_object_get(rj, "matrix_format")) != GCB_MATRIX_FORMAT ||
            json_integer_value(json_object_get(rj, "schema_version")) != GCB_SCHEMA_VERSION)
            die_usage("'%s' was written by an incompatible gcbench (format/schema differ from %d/%d)", dir,
                      GCB_MATRIX_FORMAT, GCB_SCHEMA_VERSION);
        const char *id = json_string_value(json_object_get(rj, "run_id"));
        size_t i;
        json_t *prev;
        json_array_foreach(sources, i, prev) {
            const char *pid = json_string_value(json_object_get(prev, "run_id"));
            const char *phost = json_string_value(json_object_get(json_object_get(prev, "context"), "host"));
            const char *host = json_string_value(json_object_get(json_object_get(rj, "context"), "host"));
            if (id && pid && strcmp(id, pid) == 0 && phost && host && strcmp(phost, host) == 0 &&
                json_equal(json_object_get(prev, "order_seed"), json_object_get(rj, "order_seed")))
                die_usage("'%s' and '%s' are the same run (%s on %s): each run may be merged once",
                          json_string_value(json_object_get(prev, "path")), dir, id, host);
        }
        json_t *src = json_object();
        json_object_set_new(src, "path", json_string(dir));
        json_object_set(src, "run_id", json_object_get(rj, "run_id"));
        json_object_set(src, "context", json_object_get(rj, "context"));
        json_object_set(src, "spec", json_object_get(rj, "spec"));
        json_object_set(src, "order_seed", json_object_get(rj, "order_seed"));
        if (json_object_get(rj, "merged_from"))
            json_object_set(src, "merged_from", json_object_get(rj, "merged_from"));
        json_array_append_new(sources, src);
        json_decref(rj);
        if (gcb_runs_load(dir, &runs[s], NULL, err, sizeof err))
            die_usage("%s", err);
        for (size_t k = 0; k < runs[s].n; k++) {
            if (n == cap) {
                cap *= 2;
                items = realloc(items, cap * sizeof *items);
            }
            items[n++] = (item_t){ runs[s].line[k], s };
        }
    }
    qsort(items, n, sizeof *items, cmp_item);

    /* hosts per cell */
    int mixed = 0;
    for (size_t i = 0; i < n;) {
        const char *cell = json_string_value(json_object_get(items[i].line, "cell"));
        const char *h0 = line_host(items[i].line);
        size_t j = i;
        while (j < n && strcmp(json_string_value(json_object_get(items[j].line, "cell")), cell) == 0) {
            const char *h = line_host(items[j].line);
            if (strcmp(h, h0) != 0) {
                if (!allow_mixed)
                    die_usage("cell '%s' has runs from hosts '%s' and '%s': runs from different machines are "
                              "not repetitions of one measurement (pass --allow-mixed-hosts to merge them anyway)",
                              cell, h0, h);
                mixed = 1;
            }
            j++;
        }
        i = j;
    }

    /* the output directory: written under a temporary name, renamed whole */
    static gcb_outdir_t od;
    if (gcb_outdir_begin(&od, out, err, sizeof err))
        gcb_outdir_fail(&od, "merge", err);

    /* renumber and write runs.jsonl in one atomic file */
    size_t tcap = 1 << 20, tlen = 0;
    char *text = malloc(tcap);
    text[0] = '\0';
    json_int_t rep = 0;
    const char *prev_cell = "";
    gcb_runs_t merged = { 0, NULL };
    merged.line = malloc((n + 1) * sizeof *merged.line);
    for (size_t i = 0; i < n; i++) {
        json_t *l = items[i].line;
        const char *cell = json_string_value(json_object_get(l, "cell"));
        if (strcmp(cell, prev_cell) != 0)
            rep = 0;
        prev_cell = cell;
        json_t *src = json_array_get(sources, items[i].src);
        if (!json_object_get(l, "source_run_id")) {
            json_object_set(l, "source_run_id", json_object_get(src, "run_id"));
            json_object_set(l, "source_repetition", json_object_get(l, "repetition"));
        }
        json_object_set_new(l, "repetition", json_integer(rep++));
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
        merged.line[merged.n++] = l;
    }
    snprintf(path, sizeof path, "%s/runs.jsonl", od.tmp);
    if (gcb_write_text_atomic(path, text, err, sizeof err))
        gcb_outdir_fail(&od, "merge", err);
    free(text);

    json_t *rj = json_object();
    json_object_set_new(rj, "matrix_format", json_integer(GCB_MATRIX_FORMAT));
    json_object_set_new(rj, "schema_version", json_integer(GCB_SCHEMA_VERSION));
    char ob[4200];
    snprintf(ob, sizeof ob, "%s", out);
    json_object_set_new(rj, "run_id", json_string(basename(ob)));
    json_object_set_new(rj, "context", gcb_context_json());
    json_t *cmd = json_array();
    json_array_append_new(cmd, json_string("gcbench"));
    for (int i = 0; i < argc; i++)
        json_array_append_new(cmd, json_string(argv[i]));
    json_object_set_new(rj, "command_line", cmd);
    json_object_set_new(rj, "merged_from", sources);
    json_object_set_new(rj, "mixed_hosts", json_boolean(mixed));
    snprintf(path, sizeof path, "%s/run.json", od.tmp);
    if (gcb_write_json_atomic(path, rj, err, sizeof err))
        gcb_outdir_fail(&od, "merge", err);
    json_decref(rj);
    if (gcb_summary_write(od.tmp, &merged, err, sizeof err) || gcb_outdir_commit(&od, err, sizeof err))
        gcb_outdir_fail(&od, "merge", err);
    fprintf(stderr, "gcbench: merge: %zu runs from %zu directories into %s%s\n", n, nsrc, out,
            mixed ? " (some cells mix hosts: see run.json mixed_hosts)" : "");
    free(merged.line);
    for (size_t s = 0; s < nsrc; s++)
        gcb_runs_free(&runs[s]);
    free(runs);
    free(items);
    return GCB_EXIT_OK;
}
