/*
 * bench/resultdir/keys.h - the keys of a result directory's files, spelled
 * once (docs/results.md describes them).  Readers and writers of run.json
 * and runs.jsonl name a key through these macros, so a renamed or added
 * field is one line here and a grep for the macro finds every use.
 */
#ifndef GCB_KEYS_H
#define GCB_KEYS_H

/* Version of a runs.jsonl record's layout (its schema_version); a reader
 * skips lines of another one. */
#define GCB_SCHEMA_VERSION 1

/* Room for a path under a result directory (the directory, 4096 at most,
 * and a file name). */
#define GCB_PATH_MAX 4400

/* a runs.jsonl record (bench/cell/record.c writes it) */
#define GCB_K_SCHEMA      "schema_version"
#define GCB_K_CELL        "cell"
#define GCB_K_REP         "repetition"
#define GCB_K_STATUS      "status"        /* "ok" or "failed" */
#define GCB_K_ALLOCATOR   "allocator"
#define GCB_K_COLLECTOR   "collector"
#define GCB_K_WORKLOAD    "workload"
#define GCB_K_PARAMS      "params"        /* object: parameter -> string value */
#define GCB_K_OPS         "ops_per_sec"
#define GCB_K_PROCESS     "process"       /* the parent's wait4: peak_rss_bytes, faults, elapsed_s */
#define GCB_K_HOST        "host"
#define GCB_K_CONTEXT     "context"
#define GCB_K_SOURCE_RUN  "source_run_id"
#define GCB_K_SOURCE_REP  "source_repetition"

/* the status values */
#define GCB_STATUS_OK     "ok"
#define GCB_STATUS_FAILED "failed"

/* run.json */
#define GCB_K_FORMAT      "matrix_format"
#define GCB_K_RUN_ID      "run_id"
#define GCB_K_SPEC        "spec"
#define GCB_K_ORDER_SEED  "order_seed"
#define GCB_K_MERGED_FROM "merged_from"
#define GCB_K_MIXED_HOSTS "mixed_hosts"
#define GCB_K_COMMAND     "command_line"
#define GCB_K_PATH        "path"

#endif
