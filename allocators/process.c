/*
 * allocators/process.c - the process malloc: whatever serves malloc/free
 * in this process (glibc, or the library preloaded under it).
 *
 * Sized free: where the library in effect has a sized deallocation entry
 * point (jemalloc's sdallocx, mimalloc's mi_free_size, tcmalloc's
 * tc_free_sized) it is looked up once with dlsym and used, as a runtime
 * built against that allocator would; glibc 2.36 has none and gets free().
 * Nothing is linked: the binary runs unchanged under any LD_PRELOAD.
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

static void *process_create(const gcb_allocator_t *base, void *base_ctx, char *err, size_t errlen)
{
    (void)base; (void)base_ctx; (void)err; (void)errlen;
    memset(&the_ctx, 0, sizeof the_ctx);
    *(void **)&the_ctx.sdallocx = dlsym(RTLD_DEFAULT, "sdallocx");
    if (!the_ctx.sdallocx) {
        *(void **)&the_ctx.sized_free = dlsym(RTLD_DEFAULT, "mi_free_size");
        if (!the_ctx.sized_free)
            *(void **)&the_ctx.sized_free = dlsym(RTLD_DEFAULT, "tc_free_sized");
    }
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

static void *process_realloc(void *ctx, void *p, size_t old_size, size_t new_size)
{
    (void)ctx; (void)old_size;
    return realloc(p, new_size);
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
