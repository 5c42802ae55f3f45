/*
 * runtime/memory.c - the out-of-line entry points to the counted memory
 * functions (the inline versions live in runtime/internal.h).
 */
#include "runtime/internal.h"

#include <string.h>

/* The public entry points tick the sampler (gcb_runtime_set_sampler); the
 * object allocator uses the inline versions and ticks it once per object. */
void *gcb_mem_alloc(size_t size)
{
    void *p = gcb__mem_alloc_inline(size);
    gcb__sample_tick();
    return p;
}

void gcb_mem_free(void *p, size_t size) { gcb__mem_free_inline(p, size); }

void *gcb_mem_realloc(void *p, size_t old_size, size_t new_size)
{
    void *q = gcb_rt.alloc->realloc(gcb_rt.actx, p, old_size, new_size);
    if (!q && new_size)
        gcb__oom(new_size);
    GCB_C.bytes_freed += old_size;
    GCB_C.live_bytes += new_size - old_size;
    gcb__count_peak_bytes();
    gcb__sample_tick();
    return q;
}
