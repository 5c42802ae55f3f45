/*
 * tests/test_allocators.c - conformance of one allocator backend.
 * Usage: test_allocators SPEC   (glibc, jemalloc, pool, pool+mimalloc, ...)
 *
 * Runs under the spec's process allocator (re-executing under LD_PRELOAD
 * as gcbench does) and checks: the library really serves malloc; sizes
 * 0..1 MiB come back usable and 16-byte aligned; contents survive realloc
 * growing and shrinking across size classes; sized free accepts what
 * malloc gave; statistics the backend reports move the right way.
 * A backend with a heap walk (mimalloc-ft) is also checked for it: the
 * blocks of each kind visited are exactly those live, across threads and
 * cross-thread frees, and an exited thread's heaps leave the walk.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "allocators/allocator.h"
#include "tests/check.h"
#include "tests/vma.h"

static const gcb_allocator_t *A;
static void *ctx;

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 31 + i * 7);
}

static int same(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed * 31 + i * 7))
            return 0;
    return 1;
}

static size_t sizes[4096];
static size_t nsizes;

static void make_sizes(void)
{
    for (size_t s = 0; s <= 1100; s++)
        sizes[nsizes++] = s;
    for (size_t s = 2048; s <= (1u << 20); s *= 2) {
        sizes[nsizes++] = s - 1;
        sizes[nsizes++] = s;
        sizes[nsizes++] = s + 1;
    }
}

static void test_sizes(void)
{
    static void *ptrs[4096];
    for (size_t i = 0; i < nsizes; i++) {
        size_t n = sizes[i];
        ptrs[i] = A->malloc(ctx, n);
        CHECK(ptrs[i] != NULL || n == 0);
        if (!ptrs[i])
            continue;
        if (n >= 16)
            CHECK(((uintptr_t)ptrs[i] & 15) == 0);
        else
            CHECK(((uintptr_t)ptrs[i] & 7) == 0);
        fill(ptrs[i], n, (unsigned)i);
    }
    /* all live at once: no overlap means every pattern is intact */
    for (size_t i = 0; i < nsizes; i++)
        if (ptrs[i])
            CHECK(same(ptrs[i], sizes[i], (unsigned)i));
    for (size_t i = 0; i < nsizes; i++)
        A->free(ctx, ptrs[i], sizes[i]);
}

static void test_realloc(void)
{
    /* grow a block through every class and beyond, then shrink it back */
    size_t n = 1;
    unsigned char *p = A->malloc(ctx, n);
    fill(p, n, 9);
    static const size_t steps[] = { 8, 16, 17, 48, 100, 256, 511, 512, 513, 1000, 4096, 70000, 1 << 20 };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        size_t m = steps[i];
        p = A->realloc(ctx, p, n, m);
        CHECK(p != NULL);
        CHECK(same(p, n < m ? n : m, 9));
        fill(p, m, 9);
        n = m;
    }
    for (size_t i = sizeof steps / sizeof steps[0]; i-- > 0;) {
        size_t m = steps[i] / 3 + 1;
        p = A->realloc(ctx, p, n, m);
        CHECK(p != NULL);
        CHECK(same(p, m, 9));
        n = m;
    }
    A->free(ctx, p, n);
}

static void test_churn(void)
{
    enum { SLOTS = 4096 };
    static unsigned char *slot[SLOTS];
    static size_t len[SLOTS];
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (int step = 0; step < 300000; step++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        size_t i = x % SLOTS;
        if (slot[i]) {
            if (!same(slot[i], len[i], (unsigned)i)) {
                CHECK(!"block contents changed while live");
                return;
            }
            A->free(ctx, slot[i], len[i]);
            slot[i] = NULL;
        } else {
            len[i] = (x >> 20) % 8 == 0 ? (x >> 24) % 9000 : (x >> 24) % 520;
            slot[i] = A->malloc(ctx, len[i]);
            if (slot[i])
                fill(slot[i], len[i], (unsigned)i);
            else
                CHECK(len[i] == 0);
        }
    }
    for (size_t i = 0; i < SLOTS; i++)
        if (slot[i])
            A->free(ctx, slot[i], len[i]);
}

static void test_stats(void)
{
    gcb_alloc_stats_t s0, s1, s2;
    A->stats(ctx, &s0);
    enum { N = 40000 };
    static void *p[N];
    for (int i = 0; i < N; i++)
        p[i] = A->malloc(ctx, 256);   /* ~10 MiB */
    A->stats(ctx, &s1);
    for (int i = 0; i < N; i++)
        A->free(ctx, p[i], 256);
    A->stats(ctx, &s2);
    int reported = 0;
    if (s0.allocated != GCB_STAT_UNKNOWN) {
        reported++;
        CHECK(s1.allocated >= s0.allocated + (uint64_t)N * 256);
        CHECK(s2.allocated < s1.allocated);
    }
    if (s0.mapped != GCB_STAT_UNKNOWN) {
        reported++;
        CHECK(s1.mapped >= s0.mapped);
        CHECK(s1.mapped >= (uint64_t)N * 256 / 2);
    }
    if (s0.resident != GCB_STAT_UNKNOWN) {
        reported++;
        CHECK(s1.resident >= (uint64_t)N * 256 / 2);
    }
    CHECK(reported > 0); /* every backend here reports something */
}

/* --- the heap walk (backends with visit: mimalloc-ft) ------------------ */

enum { MAIN_GC = 1000, MAIN_OBJ = 500, MAIN_MEM = 300, OTHER_GC = 700 };
static void *main_gc[MAIN_GC], *main_obj[MAIN_OBJ], *main_mem[MAIN_MEM], *other_gc[OTHER_GC];
/* Blocks freed by a thread other than their heap's owner: mimalloc may
 * still hold them on its delayed-free list (a full page's remote frees
 * wait for the owner's next collect), so a walk can meet them; CPython's
 * visitors skip them by their header (untracked once freed).  Any other
 * block met is a stray. */
static void *remote_freed[MAIN_GC + OTHER_GC];
static size_t nremote;

typedef struct { void *const *set[2]; size_t n[2]; long long seen, pending, strays; } walk_check_t;

static int member(void *const *set, size_t n, const void *b)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == b)
            return 1;
    return 0;
}

/* Each visited block must be a live one (counted) or one freed remotely. */
static int in_sets(void *block, size_t size, void *arg)
{
    walk_check_t *w = arg;
    (void)size;
    if (member(w->set[0], w->n[0], block) || member(w->set[1], w->n[1], block))
        w->seen++;
    else if (member(remote_freed, nremote, block))
        w->pending++;
    else
        w->strays++;
    return 0;
}

static uint64_t walk_pending;

static int stop_at_first(void *block, size_t size, void *arg) { (void)block; (void)size; (void)arg; return 1; }

/* The walk of `kind` sees exactly the non-NULL blocks of a and b. */
static void check_walk(gcb_alloc_kind_t kind, void *const *a, size_t na, void *const *b, size_t nb)
{
    static void *live[2][MAIN_GC + OTHER_GC];
    size_t n[2] = { 0, 0 };
    for (size_t i = 0; i < na; i++)
        if (a[i])
            live[0][n[0]++] = a[i];
    for (size_t i = 0; i < nb; i++)
        if (b[i])
            live[1][n[1]++] = b[i];
    walk_check_t w = { { live[0], live[1] }, { n[0], n[1] }, 0, 0, 0 };
    long long got = A->visit(ctx, kind, in_sets, &w);
    CHECK_EQ_U((uint64_t)got, (uint64_t)(w.seen + w.pending));
    CHECK_EQ_U((uint64_t)w.seen, n[0] + n[1]);     /* every live block, once */
    CHECK_EQ_U((uint64_t)w.strays, 0);
    walk_pending += (uint64_t)w.pending;
}

static pthread_mutex_t wm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wc = PTHREAD_COND_INITIALIZER;
static int phase;

static void wait_phase(int p)
{
    pthread_mutex_lock(&wm);
    while (phase < p)
        pthread_cond_wait(&wc, &wm);
    pthread_mutex_unlock(&wm);
}

static void set_phase(int p)
{
    pthread_mutex_lock(&wm);
    phase = p;
    pthread_cond_broadcast(&wc);
    pthread_mutex_unlock(&wm);
}

/* The other thread: allocates its GC blocks (phase 1), frees half of the
 * main thread's GC blocks, remote frees into main's heap (phase 3), exits
 * when told (phase 5). */
static void *other_thread(void *arg)
{
    (void)arg;
    for (size_t i = 0; i < OTHER_GC; i++)
        other_gc[i] = A->malloc_kind(ctx, 48 + (i % 5) * 16, GCB_ALLOC_GC);
    set_phase(1);
    wait_phase(2);
    for (size_t i = 0; i < MAIN_GC; i += 2) {
        A->free(ctx, main_gc[i], 64);
        remote_freed[nremote++] = main_gc[i];   /* main waits in wait_phase(3): no race */
        main_gc[i] = NULL;
    }
    set_phase(3);
    wait_phase(4);
    return NULL;
}

static void test_heap_walk(void)
{
    for (size_t i = 0; i < MAIN_GC; i++)
        main_gc[i] = A->malloc_kind(ctx, 64, GCB_ALLOC_GC);
    for (size_t i = 0; i < MAIN_OBJ; i++)
        main_obj[i] = A->malloc_kind(ctx, 32, GCB_ALLOC_OBJECT);
    for (size_t i = 0; i < MAIN_MEM; i++)
        main_mem[i] = A->malloc(ctx, 200);          /* no kind: a buffer */
    check_walk(GCB_ALLOC_GC, main_gc, MAIN_GC, NULL, 0);
    check_walk(GCB_ALLOC_OBJECT, main_obj, MAIN_OBJ, NULL, 0);
    check_walk(GCB_ALLOC_MEM, main_mem, MAIN_MEM, NULL, 0);
    CHECK(A->visit(ctx, GCB_ALLOC_GC, stop_at_first, NULL) == -1);

    pthread_t th;
    CHECK(pthread_create(&th, NULL, other_thread, NULL) == 0);
    wait_phase(1);
    check_walk(GCB_ALLOC_GC, main_gc, MAIN_GC, other_gc, OTHER_GC);    /* both threads' heaps */
    for (size_t i = 1; i < OTHER_GC; i += 2) {     /* cross-thread frees into the other heap */
        A->free(ctx, other_gc[i], 48 + (i % 5) * 16);
        remote_freed[nremote++] = other_gc[i];
        other_gc[i] = NULL;
    }
    set_phase(2);
    wait_phase(3);
    check_walk(GCB_ALLOC_GC, main_gc, MAIN_GC, other_gc, OTHER_GC);    /* remote frees are gone */
    set_phase(4);
    pthread_join(th, NULL);
    check_walk(GCB_ALLOC_GC, main_gc, MAIN_GC, NULL, 0);               /* an exited thread leaves the walk */
    fprintf(stderr, "  heap walk: %d + %d GC blocks on two threads, %d OBJECT, %d MEM: every live block once, "
            "no stray; %llu visits of remotely freed blocks not yet collected by their owner\n",
            MAIN_GC, OTHER_GC, MAIN_OBJ, MAIN_MEM, (unsigned long long)walk_pending);
    for (size_t i = 0; i < OTHER_GC; i++)           /* blocks of the exited thread: still freeable */
        if (other_gc[i])
            A->free(ctx, other_gc[i], 48 + (i % 5) * 16);
    for (size_t i = 0; i < MAIN_GC; i++)
        if (main_gc[i])
            A->free(ctx, main_gc[i], 64);
    for (size_t i = 0; i < MAIN_OBJ; i++)
        A->free(ctx, main_obj[i], 32);
    for (size_t i = 0; i < MAIN_MEM; i++)
        A->free(ctx, main_mem[i], 200);
    check_walk(GCB_ALLOC_GC, NULL, 0, NULL, 0);
}

/* A -thp variant's switch took: the memory the process malloc hands out
 * lies in mappings advised MADV_HUGEPAGE (or hugetlb ones); and a plain
 * variant's does not (no switch left in the environment by mistake).  Checked on
 * 64 MiB of small blocks, so every allocator has left its first, small
 * mappings behind. */
static void test_huge_advice(const gcb_alloc_choice_t *choice)
{
    enum { N = 1 << 20 };
    static void *p[N];
    for (size_t i = 0; i < N; i++)
        p[i] = malloc(64);
    size_t huge = 0;
    for (size_t i = N / 2; i < N; i += N / 64)
        huge += (size_t)gcb_test_vma_huge(p[i]);
    int thp = strstr(choice->process, "-thp") != NULL;
    fprintf(stderr, "  %zu of 32 sampled blocks in huge-page mappings (%s)\n", huge, choice->process);
    CHECK_EQ_U(huge, thp ? 32 : 0);   /* and no switch leaked into a plain run */
    for (size_t i = 0; i < N; i++)
        free(p[i]);
}

int main(int argc, char **argv)
{
    char err[512];
    gcb_alloc_choice_t choice;
    if (argc < 2) {
        fprintf(stderr, "usage: test_allocators SPEC\n");
        return 2;
    }
    if (gcb_alloc_parse(argv[1], &choice, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    CHECK(gcb_preload_active(&choice));
    fprintf(stderr, "testing %s, malloc from %s\n", choice.name, gcb_preload_version());
    /* the library: "jemalloc-thp" is served by jemalloc */
    char lib[64];
    snprintf(lib, sizeof lib, "%.*s", (int)strcspn(choice.process, "-"), choice.process);
    if (strcmp(lib, "glibc") != 0)
        CHECK(strstr(gcb_preload_version(), lib) != NULL ||
              (strcmp(lib, "tcmalloc") == 0 && strstr(gcb_preload_version(), "gperftools")));
    A = choice.top;
    ctx = gcb_alloc_instance(&choice, err, sizeof err);
    CHECK(ctx != NULL);
    if (!ctx)
        return gcb_check_exit("test_allocators");
    make_sizes();
    test_sizes();
    test_realloc();
    test_churn();
    test_stats();
    if (A->visit)
        test_heap_walk();
    test_huge_advice(&choice);
    A->destroy(ctx);
    return gcb_check_exit("test_allocators");
}
