/*
 * util/procfs.h - one "Key: N kB" figure from a /proc file.
 *
 * /proc/self/status (VmHWM), /proc/self/smaps_rollup (AnonHugePages) and
 * /proc/meminfo (Hugepagesize) all print sizes this way; the kernel's
 * unit is KiB whatever the line says.
 */
#ifndef GCB_UTIL_PROCFS_H
#define GCB_UTIL_PROCFS_H

#include <stdint.h>

/* Bytes on the line "KEY: N kB" of `path` (key without the colon).
 * Returns 0, or -1 when the file cannot be read or has no such line. */
int gcb_proc_kib_line(const char *path, const char *key, uint64_t *bytes);

#endif
