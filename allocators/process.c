/*
 * allocators/process.c - the process malloc: whatever serves malloc/free
 * in this process (glibc, or the library preloaded under it).
 *
 * Sized free is off by default, as in CPython: PyMem_RawFree and
 * PyObject_Free call free(), never sdallocx or free_sized, so a model of
 * CPython must not hand the library the size it would use to skip its own
 * size lookup (worth about 5-10% to jemalloc and 5% to tcmalloc on these
 * workloads, nothing to mimalloc; issue 12).  With -p sized_free=1
 * (gcb_alloc_configure) the library's sized deallocation entry point
 * (jemalloc's sdallocx, mimalloc's mi_free_size, tcmalloc's tc_free_sized)
 * is looked up once with dlsym and used, as a runtime built against that
 * allocator would; glibc 2.36 has none and gets free() either way.
 * Nothing is linked: the binary runs unchanged under any LD_PRELOAD.
 *
 * A sized free must name the size class the block lives in, and the
 * library's realloc may put a block in another class than its new size's:
 * tcmalloc keeps a shrinking block while the new size is at least half its
 * class, and grows a block by at least a quarter of its class (a 2816-byte
 * list array lands in the 3072-byte class), so tc_free_sized(p, new_size)
 * would file it on the wrong class's free list and corrupt the heap
 * (lifetimes crashed; tests/sizedcheck.c checks every sized free).  So
 * while a sized entry is in use realloc moves the block (malloc, copy,
 * sized free of the old one), which is what a runtime that frees by size
 * must do with such a library.  With sized free off, realloc is the
 * library's own.
 */
#include "allocators/allocator.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef struct process_ctx {
    void (*sdallocx)(void *p, size_t size, int flags);
    void (*sized_free)(void *p, size_t size);
} process_ctx_t;

static process_ctx_t the_ctx;
static int sized_wanted; /* -p sized_free, for the next create */
static const char *sized_entry = "";

const gcb_param_def_t gcb_alloc_params[] = {
    { "sized_free", GCB_PARAM_INT, "0", 0, 1,
      "1: free through the allocator's sized entry point (sdallocx, mi_free_size, tc_free_sized) where it has one; "
      "0: plain free(), as CPython", NULL, NULL },
    GCB_PARAM_END
};

int gcb_alloc_configure(const gcb_params_t *p, char *err, size_t errlen)
{
    (void)err; (void)errlen;
    sized_wanted = (int)gcb_param_int(p, gcb_alloc_params, "sized_free");
    return 0;
}

const char *gcb_alloc_sized_free_entry(void) { return sized_entry; }

static void *process_create(const gcb_allocator_t *base, void *base_ctx, char *err, size_t errlen)
{
    (void)base; (void)base_ctx; (void)err; (void)errlen;
    memset(&the_ctx, 0, sizeof the_ctx);
    sized_entry = "";
    if (!sized_wanted)
        return &the_ctx;
    *(void **)&the_ctx.sdallocx = dlsym(RTLD_DEFAULT, "sdallocx");
    if (the_ctx.sdallocx) {
        sized_entry = "sdallocx";
        return &the_ctx;
    }
    static const char *const entries[] = { "mi_free_size", "tc_free_sized" };
    for (size_t i = 0; i < sizeof entries / sizeof entries[0] && !the_ctx.sized_free; i++)
        if ((*(void **)&the_ctx.sized_free = dlsym(RTLD_DEFAULT, entries[i])))
            sized_entry = entries[i];
    return &the_ctx;
}

static void process_destroy(void *ctx) { (void)ctx; }

static void *process_malloc(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size);
}

static void process_free(void *vctx, void *p, size_t size)
{
    process_ctx_t *ctx = vctx;
    if (ctx->sdallocx && p)
        ctx->sdallocx(p, size, 0);
    else if (ctx->sized_free && p)
        ctx->sized_free(p, size);
    else
        free(p);
}

static void *process_realloc(void *vctx, void *p, size_t old_size, size_t new_size)
{
    process_ctx_t *ctx = vctx;
    if (!p || (!ctx->sdallocx && !ctx->sized_free))
        return realloc(p, new_size);
    void *q = malloc(new_size);
    if (!q)
        return NULL;
    memcpy(q, p, old_size < new_size ? old_size : new_size);
    process_free(ctx, p, old_size);
    return q;
}

static void process_stats(void *ctx, gcb_alloc_stats_t *out)
{
    (void)ctx;
    gcb_process_stats(out);
}

const gcb_allocator_t gcb_alloc_process = {
    .name = "process",
    .description = "the process malloc (glibc or the preloaded library)",
    .create = process_create,
    .destroy = process_destroy,
    .malloc = process_malloc,
    .free = process_free,
    .realloc = process_realloc,
    .stats = process_stats,
};
