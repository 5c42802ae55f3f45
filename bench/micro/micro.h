/*
 * bench/micro/micro.h - what the microbenchmark files share: the process
 * allocator in effect, a runtime brought up for one benchmark run, and
 * the memory figures handed to Google Benchmark's MemoryManager.
 */
#ifndef GCB_MICRO_H
#define GCB_MICRO_H

#include "bench/micro/shim.h"
#include "allocators/allocator.h"
#include "collectors/collector.h"
#include "runtime/host.h"

/* "main.c" */
/* The process allocator serving malloc (--allocator; glibc by default). */
extern gcb_alloc_choice_t gcb__micro_process;
/* Memory figures of the benchmark run that just ended, for the memory
 * manager's Stop; `valid` 0 when the run recorded none. */
typedef struct gcb__micro_memory {
    int valid;
    gcb_micro_memory_t m;
} gcb__micro_memory_t;
extern gcb__micro_memory_t gcb__micro_memory;
/* Record figures measured over `iterations` iterations of a run asked for
 * `max_iterations` (Google Benchmark divides by the latter; a batched loop
 * may run more): per-iteration counts are rescaled, peaks kept. */
void gcb__micro_record(const gcb_micro_state_t *st, int64_t allocs, int64_t total_bytes, int64_t max_bytes,
                       int64_t net_bytes);

/* A runtime for one benchmark run: the pool over the process malloc
 * (CPython's configuration), a collector, one frame of `nlocals` locals. */
typedef struct gcb__micro_rt {
    void *pctx, *actx;
    const gcb_collector_t *coll;
    gcb_frame_t *frame;
    gcb_rt_counters_t mark;
} gcb__micro_rt_t;

/* Bring it up; `params` (NULL-terminated "key=value") are given to the
 * collector, except keys it does not declare, which are dropped (so one
 * list serves several collectors).  -1 with a message. */
int gcb__micro_rt_up(gcb__micro_rt_t *m, const gcb_collector_t *coll, const char *const *params, uint32_t nlocals,
                     char *err, size_t errlen);
/* The measured part starts: memory figures count from here. */
void gcb__micro_rt_mark(gcb__micro_rt_t *m);
/* Record the memory figures from the runtime's exact counters (objects
 * allocated and bytes requested since the mark, the runtime's peak live
 * bytes, live bytes gained since the mark), then tear everything down. */
void gcb__micro_rt_down(gcb__micro_rt_t *m, gcb_micro_state_t *st);
/* The collector's statistics now (collections so far). */
uint64_t gcb__micro_collections(const gcb__micro_rt_t *m);

/* One registration function per file. */
void gcb__micro_register_alloc(void);    /* "alloc.c" */
void gcb__micro_register_refcount(void); /* "refcount.c" */
void gcb__micro_register_collect(void);  /* "collect.c" */

#endif
