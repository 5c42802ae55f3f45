/*
 * bench/micro/alloc.c - what one allocate/free pair costs, per size class,
 * for the process allocator in effect and for the pool over it.
 *
 * Both are called through their gcb_allocator_t tables with the size given
 * to free, exactly as the runtime calls them (runtime/memory.c), so the
 * figures are the runtime's cost per object, one indirect call included.
 * Each block is written once (an object's header would be) and escapes, so
 * the compiler cannot drop the pair.
 *
 * About LIVE blocks of the same size stay allocated around the loop, for
 * every allocator alike: a runtime always has live objects of each size
 * class.  Without them the pool's only pool would empty at every free, go
 * back to its arena and be set up again at the next malloc (CPython does
 * the same), and the figure would measure that corner instead of the
 * free-list path.  The count is LIVE or a little more, chosen from the
 * pool geometry so that the pool the pair uses is neither exactly full nor
 * one block short of full (64 blocks of 496 bytes fill two pools exactly).
 *
 *   alloc_free/A/SIZE         malloc then free of the same block: the
 *                             allocator's fastest path (a free list's head)
 *   alloc_free_burst/A/SIZE   BURST mallocs, then the BURST frees in the
 *                             same order: walks free lists and touches
 *                             BURST * SIZE bytes, as a burst of temporaries does
 * One iteration is one pair in both; time per iteration = time per pair.
 * Sizes: every pool size class (16..512 by 16) and a few larger requests,
 * which the pool passes to the process malloc.
 */
#include "bench/micro/micro.h"
#include "allocators/pool.h"

#include <stdio.h>
#include <string.h>

/* --- tunables ------------------------------------------------------------ */
#define PAIR_BATCH 64      /* pairs per state-loop call */
#define BURST 256          /* live blocks in a burst */
#define LIVE 64            /* at least this many blocks of the size live throughout */
#define LIVE_MAX (LIVE + 8)
static const int64_t larger[] = { 768, 1024, 2048, 4096 };
#define SMALL_MAX 512
#define SMALL_STEP 16
_Static_assert(SMALL_MAX % SMALL_STEP == 0, "pool size classes");

typedef struct alloc_case {
    int pool;              /* 1: the pool over the process malloc */
    int burst;
} alloc_case_t;

static alloc_case_t cases[4] = { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 1, 1 } };

/* LIVE or a little more: the last pool of `live` blocks then holds
 * between 1 and blocks-per-pool - 2 of them. */
static int live_count(size_t size)
{
    char err[256];
    void *pctx = gcb_alloc_process.create(NULL, NULL, err, sizeof err);
    void *ctx = pctx ? gcb_alloc_pool.create(&gcb_alloc_process, pctx, err, sizeof err) : NULL;
    if (!ctx)
        return LIVE;
    gcb_pool_info_t info;
    gcb_pool_info(ctx, &info);
    gcb_alloc_pool.destroy(ctx);
    gcb_alloc_process.destroy(pctx);
    if (size > info.small_threshold)
        return LIVE;
    size_t cls = (size + 15) / 16 * 16, per_pool = (info.pool_size - info.pool_overhead) / cls;
    int n = LIVE;
    while (n < LIVE_MAX && per_pool > 2 && ((size_t)n % per_pool == 0 || (size_t)n % per_pool == per_pool - 1))
        n++;
    return n;
}

static void bm_alloc(gcb_micro_state_t *st, void *arg)
{
    const alloc_case_t *c = arg;
    size_t size = (size_t)gcb_micro_range(st, 0);
    char err[512];
    void *pctx = gcb_alloc_process.create(NULL, NULL, err, sizeof err);
    const gcb_allocator_t *a = &gcb_alloc_process;
    void *ctx = pctx;
    if (pctx && c->pool) {
        a = &gcb_alloc_pool;
        ctx = gcb_alloc_pool.create(&gcb_alloc_process, pctx, err, sizeof err);
    }
    if (!ctx) {
        gcb_micro_skip_with_error(st, err);
        return;
    }
    /* before the clock: the first block of a class carves a pool, maps an
     * arena or grows a heap, once per run */
    static void *blocks[BURST], *live[LIVE_MAX];
    int nlive = live_count(size);
    for (int i = 0; i < BURST; i++)
        blocks[i] = a->malloc(ctx, size);
    for (int i = 0; i < nlive; i++)
        live[i] = a->malloc(ctx, size);
    for (int i = 0; i < BURST; i++)
        if (blocks[i])
            a->free(ctx, blocks[i], size);
    int failed = 0;
    if (!c->burst) {
        while (gcb_micro_keep_running_batch(st, PAIR_BATCH))
            for (int i = 0; i < PAIR_BATCH; i++) {
                void *p = a->malloc(ctx, size);
                failed |= p == NULL;
                if (p)
                    *(uint64_t *)p = (uint64_t)i;
                gcb_micro_escape(p);
                if (p)
                    a->free(ctx, p, size);
            }
    } else {
        while (gcb_micro_keep_running_batch(st, BURST)) {
            for (int i = 0; i < BURST; i++) {
                void *p = a->malloc(ctx, size);
                failed |= p == NULL;
                if (p)
                    *(uint64_t *)p = (uint64_t)i;
                blocks[i] = p;
            }
            gcb_micro_escape(blocks);
            for (int i = 0; i < BURST; i++)
                if (blocks[i])
                    a->free(ctx, blocks[i], size);
        }
    }
    for (int i = 0; i < nlive; i++)
        if (live[i])
            a->free(ctx, live[i], size);
    if (failed)
        gcb_micro_skip_with_error(st, "malloc returned NULL");
    int64_t it = gcb_micro_iterations(st);
    gcb_micro_items_processed(st, it);
    /* counted by construction: one block of `size` per iteration, all freed;
     * at most nlive + 1 (or nlive + BURST) live at once */
    gcb__micro_record(st, it, it * (int64_t)size, (int64_t)size * (nlive + (c->burst ? BURST : 1)), 0);
    if (c->pool)
        gcb_alloc_pool.destroy(ctx);
    gcb_alloc_process.destroy(pctx);
}

void gcb__micro_register_alloc(void)
{
    char pool_name[160];
    if (strcmp(gcb__micro_process.process, "glibc") == 0)
        snprintf(pool_name, sizeof pool_name, "pool");
    else
        snprintf(pool_name, sizeof pool_name, "pool+%s", gcb__micro_process.process);
    for (int k = 0; k < 4; k++) {
        char name[256];
        snprintf(name, sizeof name, "%s/%s", cases[k].burst ? "alloc_free_burst" : "alloc_free",
                 cases[k].pool ? pool_name : gcb__micro_process.process);
        gcb_micro_bench_t *b = gcb_micro_register(name, bm_alloc, &cases[k]);
        for (int64_t s = SMALL_STEP; s <= SMALL_MAX; s += SMALL_STEP)
            gcb_micro_arg(b, s);
        for (size_t i = 0; i < sizeof larger / sizeof larger[0]; i++)
            gcb_micro_arg(b, larger[i]);
    }
}
