/*
 * bench/cli/cmd_merge.c - `gcbench merge`: its usage text and options;
 * the merge is bench/matrix/merge.c's, the merge of the shards of one plan
 * bench/cluster/shardmerge.c's (chosen when a directory is a shard or
 * --partial is given).
 */
#include "bench/cli/cli.h"

#include "bench/cluster/cluster.h"
#include "bench/matrix/merge.h"
#include "util/outdir.h"

#include <getopt.h>
#include <stddef.h>

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

int gcb_cmd_merge(int argc, char **argv, char **full_argv)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' },
        { "allow-mixed-hosts", no_argument, NULL, 'M' },
        { "partial", no_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    gcb_merge_opts_t o = { .argc = argc, .argv = argv };
    int partial = 0;
    static const gcb_cli_spec_t cli_spec = { "merge", "merge", merge_help, ":h", opts };
    gcb_cli_t cli;
    gcb_cli_start(&cli, &cli_spec, argc, argv);
    int ch;
    while ((ch = gcb_cli_next(&cli)) != -1) {
        switch (ch) {
        case 'o':
            if (o.out)
                die_usage("--out given twice ('%s', then '%s'): give one", o.out, cli.arg);
            o.out = cli.arg;
            break;
        case 'M': o.allow_mixed = 1; break;
        case 'P': partial = 1; break;
        }
    }
    o.dirs = argv + cli.optind;
    o.ndirs = (size_t)(argc - cli.optind);
    if (!o.out)
        die_usage("give --out DIR, the new result directory");
    int shards = partial || gcb_shard_merge_wanted(o.dirs, o.ndirs);
    if (o.ndirs < 1)
        die_usage(shards ? "give the shard directories to merge" : "give the result directories to merge");
    char err[2048];
    /* the output is checked before any work (docs/promises.md) */
    if (gcb_outdir_new_check("--out", o.out, err, sizeof err))
        die_usage("%s", err);
    if (shards) { /* the shards of one plan; --allow-mixed-hosts is their default (by rep) */
        gcb_shard_merge_opts_t so = { o.out, partial, o.dirs, o.ndirs, argc, argv };
        return gcb_shard_merge(&so);
    }
    static char msg[16384];
    int rc = gcb_merge(&o, msg, sizeof msg);
    if (rc == GCB_EXIT_USAGE)
        die_usage("%s", msg);
    return rc;
}
