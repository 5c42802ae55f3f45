/*
 * tests/test_freelists.c - CPython's free lists (-p freelists=cpython,
 * runtime/freelist.c): exactly how many blocks reach the allocator when
 * floats, tuples of 1..20 items, lists, dicts and minimum dict keys tables
 * die and are made again, against freelists=none; the counters balance
 * (freelist_bytes) and teardown returns every kept block.
 * Usage: test_freelists [ALLOCATOR]   (glibc or pool; default glibc)
 */
#include <string.h>

#include "allocators/allocator.h"
#include "runtime/host.h"
#include "runtime/options.h"
#include "tests/check.h"

static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ONE };

static const gcb_allocator_t *inner;
static uint64_t blocks, frees;
static void *count_malloc(void *ctx, size_t n) { blocks++; return inner->malloc(ctx, n); }
static void count_free(void *ctx, void *p, size_t n) { frees++; inner->free(ctx, p, n); }
static void *count_realloc(void *ctx, void *p, size_t o, size_t n) { blocks++; return inner->realloc(ctx, p, o, n); }
static gcb_allocator_t counting;

static void up(const char *fl, void *actx)
{
    char err[256], kv[64];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    snprintf(kv, sizeof kv, "freelists=%s", fl);
    CHECK(gcb_params_add(&p, kv, err, sizeof err) == 0);
    CHECK(gcb_runtime_configure(&p, err, sizeof err) == 0);
    gcb_runtime_init(&counting, actx, &refcounting);
}

enum { FLOAT, TUPLE3, TUPLE21, LIST, DICT };

static gcb_object_t *make(int kind, int i)
{
    switch (kind) {
    case FLOAT: return gcb_float_new(0.5 + i);
    case TUPLE3: case TUPLE21: {
        size_t n = kind == TUPLE3 ? 3 : 21;
        gcb_object_t *t = gcb_tuple_new(n);
        for (size_t j = 0; j < n; j++)
            gcb_tuple_init(t, j, gcb_int_new((int64_t)j));
        return t;
    }
    case LIST: return gcb_list_new(0);
    default: {
        gcb_object_t *d = gcb_dict_new();
        gcb_dict_set(d, gcb_int_new(1), gcb_int_new(2)); /* a minimum keys table */
        return d;
    }
    }
}

/* Make n objects of `kind` (kept in a pre-sized list), drop them all,
 * make n again: the blocks each round asks of the allocator. */
static void round_trip(int kind, int n, uint64_t *first, uint64_t *second, uint64_t *freed)
{
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new((size_t)n));
    gcb_object_t *keep = gcb_local(f, 0);
    uint64_t b0 = blocks;
    for (int i = 0; i < n; i++)
        gcb_list_set(keep, (size_t)i, make(kind, i));
    *first = blocks - b0;
    uint64_t f0 = frees;
    for (int i = 0; i < n; i++)
        gcb_list_set(keep, (size_t)i, gcb_None);
    *freed = frees - f0;
    b0 = blocks;
    for (int i = 0; i < n; i++)
        gcb_list_set(keep, (size_t)i, make(kind, i));
    *second = blocks - b0;
    gcb_frame_pop(f);
}

static void test_kinds(void *actx, int on)
{
    /* kind, objects made, blocks per object, what the free list keeps */
    static const struct { int kind, n, per; int kept; } cases[] = {
        { FLOAT, 150, 1, 100 }, { TUPLE3, 2500, 1, 2000 }, { TUPLE21, 50, 1, 0 },
        { LIST, 120, 1, 80 }, { DICT, 100, 2, 80 }, /* a dict and its keys table, 80 of each */
    };
    up(on ? "cpython" : "none", actx);
    const gcb_rt_counters_t *C = gcb_runtime_counters();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint64_t first, second, freed;
        round_trip(cases[c].kind, cases[c].n, &first, &second, &freed);
        uint64_t n = (uint64_t)cases[c].n, per = (uint64_t)cases[c].per, kept = on ? (uint64_t)cases[c].kept : 0;
        CHECK_EQ_U(first, n * per + (cases[c].kind == TUPLE3 ? 0 : 0));
        CHECK_EQ_U(freed, (n - kept) * per);
        CHECK_EQ_U(second, (n - kept) * per);   /* the kept ones come back */
        C = gcb_runtime_counters();
        CHECK_EQ_U(C->live_objects, 0);
        CHECK_EQ_U(C->live_bytes, 0);
        CHECK_EQ_U(C->bytes_allocated - C->bytes_freed, C->immortal_bytes + C->freelist_bytes);
        CHECK_EQ_U(C->freelist_bytes > 0, on);
    }
    CHECK(on ? gcb_freelist_count() == 100 + 2000 + 80 + 80 + 80 : gcb_freelist_count() == 0);
    C = gcb_runtime_counters();
    uint64_t allocated = C->bytes_allocated;
    gcb_runtime_fini();
    CHECK_EQ_U(C->freelist_bytes, 0);
    CHECK_EQ_U(C->bytes_freed, allocated); /* teardown returned every kept block */
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
    test_kinds(actx, 1);
    test_kinds(actx, 0);
    CHECK(gcb_runtime_configure(NULL, err, sizeof err) == 0);
    CHECK(gcb_runtime_options()->freelists == GCB_FREELISTS_CPYTHON); /* the default */
    choice.top->destroy(actx);
    return gcb_check_exit("test_freelists");
}
