/*
 * util/outpath.h - what writing an output file may do to the path given.
 *
 * The rule (docs/promises.md): a regular file, or a path that does not
 * exist yet, is written atomically (a temp name in the same directory,
 * fsync, rename over the target, fsync of the directory), so a reader
 * sees the old file or the new one, never a part.  A symbolic link is
 * followed: the file it points to is what is replaced, never the link.
 * A character device or a FIFO (/dev/null, /dev/tty, a pipe) is written
 * through as it is, never replaced; /dev/stdout, /dev/stderr and
 * /dev/fd/N write on that descriptor.  Anything else (a directory, a block
 * device, a socket, an empty path, a missing or unwritable parent) is
 * refused - and every command checks its output paths with
 * gcb_outpath_check before it does any work, so a bad path is an exit-2
 * input error, not a failure after the run.
 */
#ifndef GCB_OUTPATH_H
#define GCB_OUTPATH_H

#include <stddef.h>

typedef enum {
    GCB_OUT_REPLACE,   /* regular file or absent: temp + rename */
    GCB_OUT_THROUGH,   /* character device or FIFO: written as it is */
    GCB_OUT_FD,        /* /dev/stdout, /dev/stderr, /dev/fd/N: that descriptor */
} gcb_out_kind_t;

/* May `path` be written as an output file?  0, or -1 with "WHAT 'PATH':
 * why; what is accepted".  `allow_through` 0 refuses devices, FIFOs and
 * descriptors too (an output that must be a file, as a trace). */
int gcb_outpath_check(const char *what, const char *path, int allow_through,
                      char *err, size_t errlen);

/* Write `len` bytes of `data` to `path` by the rule above; -1 with
 * "cannot write 'PATH': reason" (a temp file is removed on failure). */
int gcb_outpath_write(const char *path, const void *data, size_t len, char *err, size_t errlen);

/* May `path` be an output directory?  An existing writable directory, or
 * an absent path whose nearest existing ancestor is a writable
 * directory.  0, or -1 with a message. */
int gcb_outdir_check(const char *what, const char *path, char *err, size_t errlen);

#endif
