/*
 * runtime/runtime.c - runtime state, exact memory counters, object
 * allocation and the immortal objects.
 *
 * Every byte the object model uses comes through gcb_mem_alloc, so the
 * counters here are exact and independent of allocator rounding: they are
 * the "live" side of the fragmentation ratio (RSS / live) and the ground
 * truth for leak figures.
 *
 * Immortal objects are created through the same allocator (their memory is
 * part of RSS) but counted apart and kept in a list freed at teardown.
 */
#include "runtime/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/internal.h"

gcb_hot_t gcb_hot;
gcb_rt_t gcb_rt;

gcb_object_t *gcb__none;

/* objects_allocated and bytes_allocated are not counted on the hot path:
 * every allocation adds to live (or immortal) what it adds to allocated,
 * and every free subtracts from live what it adds to freed, so they are
 * derived here, exactly. */
const gcb_rt_counters_t *gcb_runtime_counters(void)
{
    gcb_rt.c.objects_allocated = gcb_rt.c.objects_freed + gcb_rt.c.live_objects + gcb_rt.c.immortal_objects;
    gcb_rt.c.bytes_allocated = gcb_rt.c.bytes_freed + gcb_rt.c.live_bytes + gcb_rt.c.immortal_bytes;
    return &gcb_rt.c;
}
uint64_t gcb_live_bytes(void) { return gcb_rt.c.live_bytes; }
uint64_t gcb_objects_freed(void) { return gcb_rt.c.objects_freed; }
uint64_t gcb_bytes_freed(void) { return gcb_rt.c.bytes_freed; }

void gcb__oom(size_t size)
{
    fprintf(stderr, "gcbench: out of memory allocating %zu bytes (live %llu bytes)\n", size,
            (unsigned long long)gcb_rt.c.live_bytes);
    exit(3);
}

/* --- sampling hook ------------------------------------------------------- */

int64_t gcb__sample_countdown = INT64_MAX;
static struct {
    gcb_sampler_fn fn;
    void *arg;
    int64_t every;
} sampler;

void gcb_runtime_set_sampler(gcb_sampler_fn fn, void *arg, uint64_t every_allocs)
{
    sampler.fn = fn;
    sampler.arg = arg;
    sampler.every = fn && every_allocs ? (int64_t)(every_allocs > INT64_MAX ? INT64_MAX : every_allocs)
                                       : INT64_MAX;
    gcb__sample_countdown = sampler.every;
}

void gcb__sample_fire(void)
{
    gcb__sample_countdown = sampler.every;
    if (sampler.fn)
        sampler.fn(sampler.arg);
}

/* --- objects ----------------------------------------------------------- */

static size_t prefix_of(const gcb_type_t *type)
{
    return (gcb_rt.head_on_all || (type->flags & GCB_TYPE_GC)) ? sizeof(gcb_gchead_t) : 0;
}

gcb_object_t *gcb__object_alloc(const gcb_type_t *type, size_t size)
{
    size_t pre = prefix_of(type);
    char *mem = gcb__mem_alloc_inline(pre + size);
    if (pre)
        memset(mem, 0, pre);
    gcb_object_t *o = (gcb_object_t *)(mem + pre);
    o->refcnt = gcb_rt.initial_refcnt;
    o->type = type;
    if (++gcb_rt.c.live_objects > gcb_rt.c.live_objects_peak)
        gcb_rt.c.live_objects_peak = gcb_rt.c.live_objects;
    gcb__sample_tick();
    if (GCB_CHECK_BUILD)
        gcb__debug_born(o);
    return o;
}

void gcb__object_free(gcb_object_t *o)
{
    const gcb_type_t *type = o->type;
    size_t pre = prefix_of(type);
    size_t size = gcb_object_size(o);
    if (gcb_rt.on_free && (type->flags & gcb_rt.hook_flags) == gcb_rt.hook_flags)
        gcb_rt.on_free(o);
    gcb_rt.c.objects_freed++;
    gcb_rt.c.live_objects--;
    if (GCB_CHECK_BUILD)
        gcb__debug_freed(o); /* aborts on a double free */
    if (GCB_DEBUG_CHECKS || GCB_CHECK_BUILD)
        memset((char *)o - pre, 0xdb, pre + size); /* poison: a use after free reads garbage types */
    gcb__mem_free_inline((char *)o - pre, pre + size);
}

void gcb__make_immortal(gcb_object_t *o)
{
    size_t bytes = prefix_of(o->type) + gcb_object_size(o);
    o->refcnt = GCB_IMMORTAL_REFCNT;
    if (GCB_CHECK_BUILD)
        gcb__debug_immortalized(o);
    gcb_rt.c.live_objects--;
    gcb_rt.c.live_bytes -= bytes;
    gcb_rt.c.immortal_objects++;
    gcb_rt.c.immortal_bytes += bytes;
    if (gcb_rt.n_immortal == gcb_rt.cap_immortal) {
        gcb_rt.cap_immortal = gcb_rt.cap_immortal ? 2 * gcb_rt.cap_immortal : 512;
        gcb_rt.immortal = realloc(gcb_rt.immortal, gcb_rt.cap_immortal * sizeof *gcb_rt.immortal);
        if (!gcb_rt.immortal)
            gcb__oom(gcb_rt.cap_immortal * sizeof *gcb_rt.immortal);
    }
    gcb_rt.immortal[gcb_rt.n_immortal++] = o;
}

/* --- None ---------------------------------------------------------------- */

static size_t none_size(const gcb_object_t *o) { (void)o; return sizeof(gcb_object_t); }
static void none_dealloc(gcb_object_t *o) { (void)o; abort(); /* immortal */ }

const gcb_type_t gcb_none_type = {
    .name = "NoneType",
    .basicsize = sizeof(gcb_object_t),
    .size = none_size,
    .dealloc = none_dealloc,
};

/* --- lifecycle ------------------------------------------------------------ */

static void safepoint_from_policy(void)
{
    gcb_hot.pending = 0;
    if (gcb_rt.policy.safepoint)
        gcb_rt.policy.safepoint();
}

void gcb_gc_collect(void)
{
    if (gcb_rt.policy.collect_full)
        gcb_rt.policy.collect_full();
}

void gcb_runtime_init(const gcb_allocator_t *alloc, void *alloc_ctx, const gcb_policy_t *policy)
{
    if (!(policy->threads & GCB_THREADS_ONE)) {
        fprintf(stderr, "gcbench: the policy does not support one mutator thread (threads 0x%x)\n",
                policy->threads);
        abort();
    }
    memset(&gcb_rt, 0, sizeof gcb_rt);
    memset(&gcb_hot, 0, sizeof gcb_hot);
    if (GCB_CHECK_BUILD)
        gcb__debug_reset();
    gcb_rt.alloc = alloc;
    gcb_rt.actx = alloc_ctx;
    gcb_rt.malloc_fn = alloc->malloc;
    gcb_rt.free_fn = alloc->free;
    gcb_rt.policy = *policy;
    gcb_rt.head_on_all = policy->head_on_all;
    gcb_rt.on_alloc = policy->on_alloc;
    gcb_rt.on_free = policy->on_free;
    gcb_rt.hook_flags = policy->containers_only ? GCB_TYPE_GC : 0;
    gcb_rt.initial_refcnt = policy->mode == GCB_COUNT_ALL ? 1 : 0;
    gcb_hot.mode = policy->mode;
    gcb_hot.on_zero = policy->on_zero ? policy->on_zero : gcb_dealloc;
    gcb_hot.on_decref_live = policy->on_decref_live;
    gcb_hot.write_barrier = policy->write_barrier;
    gcb_hot.safepoint = safepoint_from_policy;

    gcb__none = gcb__object_alloc(&gcb_none_type, sizeof(gcb_object_t));
    gcb__make_immortal(gcb__none);
    gcb__int_init();
    gcb__str_init();
}

void gcb_runtime_fini(void)
{
    gcb__str_fini();
    /* Immortals are leaves (no heap references), so any order is safe. */
    for (size_t i = gcb_rt.n_immortal; i-- > 0;) {
        gcb_object_t *o = gcb_rt.immortal[i];
        size_t pre = prefix_of(o->type);
        size_t size = o->type->size(o);
        gcb_rt.c.immortal_bytes -= pre + size;
        gcb_rt.c.immortal_objects--;
        gcb_rt.c.objects_freed++;
        gcb_rt.c.live_bytes += pre + size; /* gcb_mem_free subtracts it again */
        gcb_mem_free((char *)o - pre, pre + size);
    }
    free(gcb_rt.immortal);
    gcb__dealloc_fini();
    if (GCB_CHECK_BUILD)
        gcb__debug_reset();
    gcb_rt.immortal = NULL;
    gcb_rt.n_immortal = gcb_rt.cap_immortal = 0;
    gcb__none = NULL;
    gcb__options_reset();
}
