/*
 * util/outdir.h - a new output directory that appears whole or not at all
 * (gcbench merge --out).
 *
 * The files go into a temporary sibling, DIR/../.NAME.tmp.PID, which is
 * renamed to the target when everything is written (rename replaces an
 * empty directory); on any failure the temporary one and what is in it
 * are removed, so a full disk leaves no directory and no part of one
 * (docs/promises.md).
 */
#ifndef GCB_OUTDIR_H
#define GCB_OUTDIR_H

#include <stddef.h>

typedef struct gcb_outdir {
    char target[4096];
    char tmp[4200];
} gcb_outdir_t;

/* Before any work: may `path` become a new result directory?  It must not
 * exist or be an empty directory, and its parent must be a writable
 * directory.  0, or -1 with "WHAT 'PATH': why". */
int gcb_outdir_new_check(const char *what, const char *path, char *err, size_t errlen);
/* Create the temporary directory.  0, or -1 with a message and errno. */
int gcb_outdir_begin(gcb_outdir_t *d, const char *path, char *err, size_t errlen);
/* Rename it to the target (fsync of the parent).  0, or -1 (removed). */
int gcb_outdir_commit(gcb_outdir_t *d, char *err, size_t errlen);
/* Remove the temporary directory and its files (errno kept). */
void gcb_outdir_abort(gcb_outdir_t *d);
/* A write into it failed (errno says why): remove it, print one line
 * "gcbench: CMD: no space left on ...; free space and ... again" (a full
 * disk) or "gcbench: CMD: ERR", and exit 1 (a file promised not written). */
void __attribute__((noreturn)) gcb_outdir_fail(gcb_outdir_t *d, const char *cmd, const char *err);

#endif
