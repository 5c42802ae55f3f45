/*
 * tests/test_modes.c - the per-mode cores (runtime/object.h's GCB_RC_MODE):
 * compiled once per core (tests/meson.build), it checks that core's header
 * and the bytes each type asks of the allocator (docs/threads.md, "The
 * object header of each mode, in bytes"), and the reference operations on
 * one thread: counts go up and down, an object is freed when its last
 * reference goes, immortals are never written, and under ft the owner
 * touches only ob_ref_local.
 * Usage: test_modes
 */
#include <string.h>

#include "allocators/allocator.h"
#include "runtime/host.h"
#include "runtime/options.h"
#include "tests/check.h"

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ALL };

/* Bytes the runtime asked for to make one object with `make`. */
static uint64_t bytes_of(gcb_object_t *(*make)(void))
{
    uint64_t b0 = gcb_runtime_counters()->live_bytes;
    gcb_object_t *o = make();
    uint64_t b = gcb_runtime_counters()->live_bytes - b0;
    gcb_release(o);
    CHECK_EQ_U(gcb_runtime_counters()->live_bytes, b0);
    return b;
}

static gcb_object_t *mk_int(void) { return gcb_int_new(1000); }
static gcb_object_t *mk_float(void) { return gcb_float_new(1.5); }
static gcb_object_t *mk_str(void) { return gcb_str_new("abcde", 5); }
static gcb_object_t *mk_tuple(void) { return gcb_tuple_new(3); }
static gcb_object_t *mk_list(void) { return gcb_list_new(0); }
static gcb_object_t *mk_dict(void) { return gcb_dict_new(); }

static void test_sizes(void)
{
    const uint64_t extra = GCB_RC_MODE == GCB_RC_BIASED ? 16 : 0;
    CHECK_EQ_U(sizeof(gcb_object_t), 16 + extra);
    CHECK_EQ_U(bytes_of(mk_int), 32 + extra);
    CHECK_EQ_U(bytes_of(mk_float), 24 + extra);
    CHECK_EQ_U(bytes_of(mk_str), 40 + extra + 5 + 1);
    CHECK_EQ_U(bytes_of(mk_tuple), 40 + 8 * 3);   /* GC header 16 or ft's 16 more header bytes */
    CHECK_EQ_U(bytes_of(mk_list), 56);
    CHECK(bytes_of(mk_dict) >= 64);               /* 64 + its keys table, the same in every mode */
}

static void test_counts(void)
{
    gcb_object_t *o = gcb_int_new(123456);
    int64_t c0 = GCB_REFCNT(o);
    CHECK_EQ_I(c0, 1);
    for (int i = 0; i < 1000; i++)
        gcb_newref(o);
    CHECK_EQ_I(GCB_REFCNT(o), 1001);
#if GCB_RC_MODE == GCB_RC_BIASED
    /* the owner's operations stay in ob_ref_local */
    CHECK_EQ_I(atomic_load(&o->ob_ref_shared), 0);
    CHECK(atomic_load(&o->ob_tid) == gcb_thread_id());
    CHECK_EQ_U(atomic_load(&o->ob_ref_local), 1001);
#endif
    for (int i = 0; i < 1000; i++)
        gcb_release(o);
    CHECK_EQ_I(GCB_REFCNT(o), 1);
    uint64_t freed = gcb_runtime_counters()->objects_freed;
    gcb_release(o);
    CHECK_EQ_U(gcb_runtime_counters()->objects_freed, freed + 1);

    gcb_object_t *small = gcb_int_new(7);   /* immortal */
    CHECK(gcb_is_immortal(small));
    unsigned char before[sizeof(gcb_object_t)];
    memcpy(before, small, sizeof before);
    for (int i = 0; i < 1000000; i++) {
        gcb_newref(small);
        gcb_release(small);
    }
    CHECK(memcmp(before, small, sizeof before) == 0); /* header bytes unchanged */
    CHECK(gcb_is_immortal(gcb_None));
}

int main(void)
{
    char err[256];
    void *actx = gcb_alloc_process.create(NULL, NULL, err, sizeof err);
    CHECK(actx != NULL);
    CHECK(gcb_runtime_configure(NULL, err, sizeof err) == 0);
    gcb_runtime_init(&gcb_alloc_process, actx, &refcounting);
    test_sizes();
    test_counts();
    CHECK_EQ_U(gcb_runtime_counters()->live_objects, 0);
    gcb_runtime_fini();
    gcb_alloc_process.destroy(actx);
    char name[32];
    snprintf(name, sizeof name, "test_modes(rc mode %d)", GCB_RC_MODE);
    return gcb_check_exit(name);
}
