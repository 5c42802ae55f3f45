/*
 * bench/matrix/merge.h - `gcbench merge` without its argv: result
 * directories into one new one (merge.c; the options are
 * bench/cli/cmd_merge.c's, the shards of one plan bench/cluster/'s).
 */
#ifndef GCB_MERGE_H
#define GCB_MERGE_H

#include <stddef.h>

typedef struct gcb_merge_opts {
    const char *out;              /* the new result directory, checked new or empty by the caller */
    char *const *dirs;            /* the result directories to merge, ndirs >= 1 */
    size_t ndirs;
    int allow_mixed;              /* 1: runs of one cell from different hosts are merged, and said so */
    int argc;                     /* the command line run.json records ("merge", then its arguments) */
    char *const *argv;
} gcb_merge_opts_t;

/* Merge o->dirs into o->out.  Returns GCB_EXIT_OK (the summary line on
 * stderr), or GCB_EXIT_USAGE with the one-line message in err when a
 * source is not a mergeable result directory or hosts mix; nothing is
 * written then.  A write failure exits 1 and leaves nothing
 * (gcb_outdir_fail). */
int gcb_merge(const gcb_merge_opts_t *o, char *err, size_t errlen);

#endif
