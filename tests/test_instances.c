/*
 * tests/test_instances.c - class instances laid out as each CPython does
 * (runtime/instance.c, -p instance_layout): exact bytes and blocks that
 * reach the allocator per instance, the values array's right-sizing
 * against an independent model of CPython's shared-keys rule, the
 * materialized __dict__, insertion order, and no leak in any layout.
 * Usage: test_instances [ALLOCATOR]   (glibc or pool; default glibc)
 */
#include <string.h>

#include "allocators/allocator.h"
#include "runtime/host.h"
#include "runtime/options.h"
#include "tests/check.h"

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ONE };

/* A wrapper that counts the blocks asked of the allocator under it. */
static const gcb_allocator_t *inner;
static uint64_t blocks;
static void *count_malloc(void *ctx, size_t n) { blocks++; return inner->malloc(ctx, n); }
static void count_free(void *ctx, void *p, size_t n) { inner->free(ctx, p, n); }
static void *count_realloc(void *ctx, void *p, size_t o, size_t n) { blocks++; return inner->realloc(ctx, p, o, n); }
static gcb_allocator_t counting;

static void up(const char *layout, void *actx)
{
    char err[256], kv[64];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    snprintf(kv, sizeof kv, "instance_layout=%s", layout);
    CHECK(gcb_params_add(&p, kv, err, sizeof err) == 0);
    const gcb_param_def_t *tables[] = { gcb_runtime_params, NULL };
    CHECK(gcb_params_validate(&p, tables, err, sizeof err) == 0);
    CHECK(gcb_runtime_configure(&p, err, sizeof err) == 0);
    gcb_runtime_init(&counting, actx, &refcounting);
}

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Bytes of one instance with a values array of `cap` slots and the blocks
 * it takes, per layout: CPython 3.13's _PyInlineValuesSize and 3.11/3.12's
 * new_values, written out again. */
static size_t inst_bytes(const char *layout, size_t cap, uint64_t *nblocks)
{
    if (strcmp(layout, "3.13") == 0) {
        *nblocks = 1;
        return 16 + 16 + 16 + round8(cap) + (cap + 1) * 8; /* pre-header, GC, object, inline values */
    }
    *nblocks = 2;
    size_t values = round8(cap + 2) + cap * 8;
    return (strcmp(layout, "3.11") == 0 ? 56 : 48) + values;
}

/* CPython's rule for the capacity of the next instance of a class, kept
 * apart from the runtime's: shrink room by one while more than one is
 * left, capacity = names + room; a new name takes one of the room. */
typedef struct { int names, room; } model_t;
static int model_new(model_t *m)
{
    if (m->room > 1)
        m->room--;
    return m->names + m->room;
}
static void model_name(model_t *m) { m->names++; m->room--; }

static void test_values_layout(const char *layout, void *actx)
{
    up(layout, actx);
    const gcb_rt_counters_t *C = gcb_runtime_counters();
    gcb_object_t *cls = gcb_class_new("Node");
    gcb_object_t *names[4] = { gcb_str_const("left"), gcb_str_const("right"), gcb_str_const("i"), gcb_str_const("j") };
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_list_append(gcb_local(f, 0), gcb_None); /* the list's array exists from here */
    model_t m = { 0, 30 };
    for (int k = 0; k < 40; k++) {
        uint64_t live0 = C->live_bytes, b0 = blocks, expect_blocks;
        gcb_object_t *o = gcb_instance_new(cls);
        size_t cap = (size_t)model_new(&m);
        CHECK_EQ_U(gcb_instance_values_capacity(o), cap);
        CHECK_EQ_U(C->live_bytes - live0, inst_bytes(layout, cap, &expect_blocks));
        CHECK_EQ_U(blocks - b0, expect_blocks);
        for (int a = 0; a < 4; a++) {
            gcb_setattr(o, names[a], gcb_int_new(1000 + k * 10 + a)); /* a 32-byte int each */
            if (k == 0)
                model_name(&m);
        }
        CHECK_EQ_U(blocks - b0, expect_blocks + 4); /* the ints: the attributes cost no block */
        CHECK_EQ_U(C->live_bytes - live0, inst_bytes(layout, cap, &expect_blocks) + 4 * 32);
        gcb_list_append(gcb_local(f, 0), o);
    }
    /* the steady state: k attributes, k + 1 slots (80 bytes for one
     * attribute in 3.13, gh-128762; here 4) */
    uint64_t nb;
    CHECK_EQ_U(gcb_instance_values_capacity(gcb_list_get(gcb_local(f, 0), 40)), 5);
    CHECK_EQ_U(inst_bytes(layout, 5, &nb), strcmp(layout, "3.13") == 0 ? 104u : strcmp(layout, "3.11") == 0 ? 104u : 96u);

    /* insertion order, per instance, whatever order the class learnt */
    gcb_object_t *o = gcb_instance_new(cls);
    gcb_setattr(o, names[3], gcb_int_new(3));
    gcb_setattr(o, names[1], gcb_int_new(1));
    size_t pos = 0;
    gcb_object_t *k, *v;
    CHECK(gcb_instance_next(o, &pos, &k, &v) && k == names[3] && gcb_int_value(v) == 3);
    CHECK(gcb_instance_next(o, &pos, &k, &v) && k == names[1] && gcb_int_value(v) == 1);
    CHECK(!gcb_instance_next(o, &pos, &k, &v));
    CHECK(gcb_getattr(o, names[0]) == NULL);
    CHECK_EQ_U(gcb_instance_len(o), 2);

    /* __dict__ materializes: a dict of the attributes in the same order */
    uint64_t live0 = C->live_bytes;
    gcb_object_t *d = gcb_instance_dict(o);
    CHECK(d && d->type == &gcb_dict_type && gcb_dict_len(d) == 2);
    CHECK_EQ_U(gcb_instance_values_capacity(o), 0);
    pos = 0;
    CHECK(gcb_dict_next(d, &pos, &k, &v) && k == names[3]);
    CHECK(gcb_int_value(gcb_getattr(o, names[1])) == 1);
    /* 3.11/3.12 free the values block (5 slots: 48 bytes), 3.13 keeps it inline */
    size_t keys8 = 32 + 8 + 5 * 24;
    CHECK_EQ_U(C->live_bytes - live0 + (strcmp(layout, "3.13") == 0 ? 0 : 48), 64 + keys8);
    gcb_setattr(o, names[0], gcb_int_new(0));
    CHECK_EQ_U(gcb_dict_len(d), 3);
    gcb_list_append(gcb_local(f, 0), o);

    /* a class that runs out of shared names: the 31st name materializes */
    gcb_object_t *wide = gcb_class_new("Wide"), *w = gcb_instance_new(wide);
    char nm[8];
    for (int a = 0; a < 31; a++) {
        snprintf(nm, sizeof nm, "a%d", a);
        gcb_setattr(w, gcb_str_const(nm), gcb_int_new(1000 + a));
        CHECK_EQ_U(gcb_instance_values_capacity(w) > 0, a < 29); /* 29 slots for the first instance */
    }
    CHECK_EQ_U(gcb_instance_len(w), 31);
    pos = 0;
    for (int a = 0; a < 31; a++)
        CHECK(gcb_instance_next(w, &pos, &k, &v) && gcb_int_value(v) == 1000 + a);
    gcb_list_append(gcb_local(f, 0), w);

    gcb_frame_pop(f);
    CHECK_EQ_U(C->live_objects, 0);
    CHECK_EQ_U(C->live_bytes, 0);
    gcb_runtime_fini();
}

static void test_combined(void *actx)
{
    up("combined", actx);
    const gcb_rt_counters_t *C = gcb_runtime_counters();
    gcb_object_t *cls = gcb_class_new("Node"), *x = gcb_str_const("x");
    uint64_t b0 = blocks;
    gcb_object_t *o = gcb_instance_new(cls);
    CHECK_EQ_U(C->live_bytes, 48 + 64);                /* object + empty __dict__ */
    CHECK_EQ_U(blocks - b0, 2);
    gcb_setattr(o, x, gcb_None);
    CHECK_EQ_U(C->live_bytes, 48 + 64 + 160);          /* + the 8-slot keys table */
    CHECK_EQ_U(blocks - b0, 3);
    CHECK_EQ_U(gcb_instance_values_capacity(o), 0);
    CHECK(gcb_instance_dict(o) == gcb_instance_dict(o));
    gcb_release(o);
    CHECK_EQ_U(C->live_bytes, 0);
    gcb_runtime_fini();
}

int main(int argc, char **argv)
{
    char err[512];
    gcb_alloc_choice_t choice;
    if (gcb_alloc_parse(argc > 1 ? argv[1] : "glibc", &choice, err, sizeof err) ||
        gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    void *actx = gcb_alloc_instance(&choice, err, sizeof err);
    CHECK(actx != NULL);
    inner = choice.top;
    counting = *choice.top;
    counting.malloc = count_malloc;
    counting.free = count_free;
    counting.realloc = count_realloc;
    test_values_layout("3.13", actx);
    test_values_layout("3.12", actx);
    test_values_layout("3.11", actx);
    test_combined(actx);
    /* the default is 3.13 */
    CHECK(gcb_runtime_configure(NULL, err, sizeof err) == 0);
    CHECK(gcb_runtime_options()->instance_layout == GCB_LAYOUT_313);
    choice.top->destroy(actx);
    return gcb_check_exit("test_instances");
}
