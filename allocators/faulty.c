/*
 * allocators/faulty.c - fault injection as an allocator: `faulty@N+SPEC`
 * serves every request from the allocator stack SPEC (any spec: glibc,
 * pool, pool+jemalloc, NAME=/path.so) and fails the Nth allocation and
 * every one after it, as SQLite's test_malloc.c and Lua's ltests.c do, so
 * each error path of the runtime, the collectors and the workloads can be
 * reached on purpose and repeatably (the workloads are deterministic, so
 * allocation N is the same request in every run of a cell).
 *
 *     gcbench run -a faulty@1000+pool -c gen -w dicts    # exit 3, "out of memory"
 *     gcbench run -a faulty@0+pool -c gen -w dicts       # N = 0: fail nothing, count
 *
 * Counting.  malloc and realloc are allocations; free is not.  Once the
 * Nth has failed, memory stays exhausted (every later allocation fails
 * too): a caller that survives one NULL and retries meets the same
 * condition a real out-of-memory process would.  At destroy (a run that
 * completed) the count is written to stderr, one line, so a sweep
 * (tests/oom_sweep.sh) learns how many allocations a run makes and can
 * choose N across the whole of it.
 *
 * Invariant: served + failed == calls, and nothing is failed while
 * calls < N (N = 0: never).  The wrapper holds no block of its own, so
 * frees and stats pass straight through to the inner stack.
 */
#include "allocators/allocator.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct faulty {
    const gcb_allocator_t *inner;
    void *inner_ctx;
    uint64_t fail_at;        /* 1-based; 0: never */
    uint64_t calls, failed;
} faulty_t;

/* One more allocation: may it be served? */
static int allowed(faulty_t *f)
{
    f->calls++;
    if (f->fail_at && f->calls >= f->fail_at) {
        f->failed++;
        return 0;
    }
    return 1;
}

static void *faulty_malloc(void *ctx, size_t size)
{
    faulty_t *f = ctx;
    return allowed(f) ? f->inner->malloc(f->inner_ctx, size) : NULL;
}

static void faulty_free(void *ctx, void *ptr, size_t size)
{
    faulty_t *f = ctx;
    f->inner->free(f->inner_ctx, ptr, size);
}

/* A failed realloc leaves the old block as it was (C's rule). */
static void *faulty_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size)
{
    faulty_t *f = ctx;
    return allowed(f) ? f->inner->realloc(f->inner_ctx, ptr, old_size, new_size) : NULL;
}

static void faulty_stats(void *ctx, gcb_alloc_stats_t *out)
{
    faulty_t *f = ctx;
    f->inner->stats(f->inner_ctx, out);
}

static void faulty_destroy(void *ctx)
{
    faulty_t *f = ctx;
    fprintf(stderr, "gcbench: faulty: %" PRIu64 " allocations, %" PRIu64 " failed (failing from #%" PRIu64 ")\n",
            f->calls, f->failed, f->fail_at);
    f->inner->destroy(f->inner_ctx);
    free(f);
}

/* The table's create cannot know N: faulty stacks are made by
 * gcb_faulty_wrap (from gcb_alloc_instance), never by name alone. */
static void *faulty_create(const gcb_allocator_t *base, void *base_ctx, char *err, size_t errlen)
{
    (void)base;
    (void)base_ctx;
    snprintf(err, errlen, "faulty: give faulty@N+SPEC (fail the Nth allocation of SPEC)");
    return NULL;
}

void *gcb_faulty_wrap(const gcb_allocator_t *inner, void *inner_ctx, uint64_t fail_at,
                      char *err, size_t errlen)
{
    faulty_t *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "faulty: out of memory");
        inner->destroy(inner_ctx);
        return NULL;
    }
    f->inner = inner;
    f->inner_ctx = inner_ctx;
    f->fail_at = fail_at;
    return f;
}

const gcb_allocator_t gcb_alloc_faulty = {
    .name = "faulty",
    .description = "faulty@N+SPEC: SPEC with its Nth and later allocations failed (N = 0: none, counted)",
    .create = faulty_create,
    .destroy = faulty_destroy,
    .malloc = faulty_malloc,
    .free = faulty_free,
    .realloc = faulty_realloc,
    .stats = faulty_stats,
};
