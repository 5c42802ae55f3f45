/*
 * tests/counting.h - the process allocator, counting every block it hands
 * out and takes back, under the threaded runtime tests (test_atomic,
 * test_brc, test_deferred, test_ftgc): a run ends with as many frees as
 * blocks, exactly, which is each test's leak check below the runtime's own
 * counters.  The counts are atomic: every thread allocates.  Header-only
 * (each test is one translation unit); needs tests/check.h before it.
 */
#ifndef GCB_TESTS_COUNTING_H
#define GCB_TESTS_COUNTING_H

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "allocators/allocator.h"
#include "runtime/options.h"
#include "util/params.h"

static _Atomic uint64_t gcb_counting_blocks, gcb_counting_frees;
static gcb_allocator_t gcb_counting;

static void *gcb_counting_malloc(void *ctx, size_t n)
{
    gcb_counting_blocks++;
    return gcb_alloc_process.malloc(ctx, n);
}

static void gcb_counting_free(void *ctx, void *p, size_t n)
{
    gcb_counting_frees++;
    gcb_alloc_process.free(ctx, p, n);
}

/* Set the runtime's options to freelists=FREELISTS (NULL: the defaults),
 * fill gcb_counting (realloc stays the process allocator's own), zero the
 * counts, and return a new process-allocator context for
 * gcb_runtime_init(&gcb_counting, ctx, policy). */
static void *gcb_counting_begin(const char *freelists)
{
    char err[256], kv[64];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    if (freelists) {
        snprintf(kv, sizeof kv, "freelists=%s", freelists);
        CHECK(gcb_params_add(&p, kv, err, sizeof err) == 0);
    }
    CHECK(gcb_runtime_configure(&p, err, sizeof err) == 0);
    void *actx = gcb_alloc_process.create(NULL, NULL, err, sizeof err);
    CHECK(actx != NULL);
    gcb_counting = gcb_alloc_process;
    gcb_counting.malloc = gcb_counting_malloc;
    gcb_counting.free = gcb_counting_free;
    gcb_counting_blocks = gcb_counting_frees = 0;
    return actx;
}

#endif
