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
#define GCB_K_SEED        "seed"          /* also the spec's */
#define GCB_K_PARAMS_EFF  "params_effective"
#define GCB_K_ORDER_INDEX "order_index"
#define GCB_K_OPS_COUNT   "ops"           /* also of a per_thread entry */
#define GCB_K_OPS_UNIT    "ops_unit"
#define GCB_K_WALL        "wall_s"        /* also of a per_thread entry */
#define GCB_K_USER        "user_s"        /* also of process */
#define GCB_K_SYS         "sys_s"         /* also of process */
#define GCB_K_RSS         "peak_rss_bytes" /* also of process */
#define GCB_K_MINFLT      "minor_faults"  /* also of process */
#define GCB_K_MAJFLT      "major_faults"  /* also of process */
#define GCB_K_ELAPSED     "elapsed_s"     /* of process */

/* a record's gc block (its counters are GCB_GC_COUNTERS' names); metric
 * paths such as GCB_K_GC "." GCB_K_PAUSES ".p99" are built from these */
#define GCB_K_GC          "gc"
#define GCB_K_GC_TIME     "gc_time_s"
#define GCB_K_PAUSES      "pause_ns"      /* count, p50, p90, p99, p999, max, total */

/* a record's timeline block */
#define GCB_K_TIMELINE    "timeline"      /* also the spec's on/off */
#define GCB_K_TL_POINTS   "points"

/* a record's threads block (threads=, mode= runs) */
#define GCB_K_THREADS     "threads"
#define GCB_K_TH_MODE     "mode"
#define GCB_K_TH_CORES    "cores"
#define GCB_K_TH_OVERSUB  "oversubscribed"
#define GCB_K_TH_DROPS    "cross_thread_drops"
#define GCB_K_TH_HEADER   "object_header_bytes"
#define GCB_K_TH_PREFIX   "container_prefix_bytes"

/* a failed record's failure block */
#define GCB_K_FAILURE     "failure"
#define GCB_K_F_KIND      "kind"
#define GCB_K_F_EXIT      "exit_status"
#define GCB_K_F_SIGNAME   "signal_name"
#define GCB_K_F_STDERR    "stderr_tail"

/* the context block of a record and of run.json (bench/cell/context.c) */
#define GCB_K_KERNEL      "kernel"
#define GCB_K_ARCH        "arch"
#define GCB_K_CPU_MODEL   "cpu_model"
#define GCB_K_CPU_COUNT   "cpu_count"
#define GCB_K_MEMORY      "memory_bytes"
#define GCB_K_COMPILER    "compiler"
#define GCB_K_VERSION     "gcbench_version"
#define GCB_K_LIBRARIES   "libraries"
#define GCB_K_THP         "transparent_hugepage"
#define GCB_K_FPR         "vm_free_page_reporting"
#define GCB_K_GIT_COMMIT  "git_commit"
#define GCB_K_PYTHON      "python"        /* a py: cell's interpreter, in a record's context */

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
#define GCB_K_PATH        "path"          /* of a merged_from entry */
#define GCB_K_STARTED     "started"
#define GCB_K_FINISHED    "finished"
#define GCB_K_LAST_SESSION "last_session_s"
#define GCB_K_CELLS       "cells"
#define GCB_K_RUNS_PLANNED "runs_planned"
#define GCB_K_RUNS_FAILED "runs_failed"
#define GCB_K_SHARD       "shard"
#define GCB_K_SHARD_BY    "shard_by"
#define GCB_K_PLAN_ID     "plan_id"
#define GCB_K_PLAN_CELLS  "plan_cells"
#define GCB_K_PLAN_RUNS   "plan_runs"
#define GCB_K_BUDGET      "budget"        /* object: budget_s, chosen_scale, estimated_s, ... */
#define GCB_K_BUDGET_S    "budget_s"      /* also the spec's */
#define GCB_K_CHOSEN_SCALE "chosen_scale"
#define GCB_K_ESTIMATED_S "estimated_s"
#define GCB_K_DEFAULT     "default"       /* the default matrix's block (bench/matrix/default.c) */
#define GCB_K_DF_BASELINE "baseline"
#define GCB_K_DF_MIN_RUN  "min_run_s"
#define GCB_K_DF_REFCELL  "reference_cell"
#define GCB_K_DF_SCALE_RULE "scale_rule"

/* run.json's spec (bench/matrix/spec_file.c; also GCB_K_SEED,
 * GCB_K_TIMELINE, GCB_K_BUDGET_S) */
#define GCB_K_SP_ALLOCATORS "allocators"
#define GCB_K_SP_COLLECTORS "collectors"
#define GCB_K_SP_WORKLOADS  "workloads"
#define GCB_K_SP_AXES     "params"        /* array of {key, values}: not a record's params */
#define GCB_K_SP_KEY      "key"
#define GCB_K_SP_VALUES   "values"
#define GCB_K_SP_REPS     "reps"
#define GCB_K_SP_TIMEOUT  "timeout_s"
#define GCB_K_SP_MEMLIMIT "mem_limit_bytes"

#endif
