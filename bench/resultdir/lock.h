/*
 * bench/resultdir/lock.h - one writer per result directory.
 *
 * A matrix (new or resumed) holds an exclusive flock(2) on DIR/.gcbench.lock
 * for its whole life.  The kernel releases it when the process ends, however
 * it ends, so a SIGKILLed matrix never leaves a stale lock; the file keeps
 * the holder's PID only so the second process can name it.  A second
 * matrix on the same directory (two --resume at once, a resume while the
 * original still runs) gets exit 2 and one line naming that PID, instead of
 * recording the same (cell, repetition) twice.
 *
 * Readers (merge, report, plot) take no lock: runs.jsonl only ever grows
 * by whole lines written with one O_APPEND write, and its reader skips an
 * incomplete last line, so a reader sees a consistent prefix.
 */
#ifndef GCB_RESULTDIR_LOCK_H
#define GCB_RESULTDIR_LOCK_H

#include <stddef.h>

/* Take the writer's lock of `dir` (non-blocking).  0 (held until exit),
 * or -1 with "DIR is in use by gcbench matrix (pid N); ..." */
int gcb_resultdir_lock(const char *dir, char *err, size_t errlen);

#endif
