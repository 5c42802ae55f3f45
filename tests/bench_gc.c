/*
 * tests/bench_gc.c - collection costs the issue sets targets for.
 *
 *   bench_gc full  [ALLOC] [N] [REPS]   gen: full collection over a live graph
 *       of N single-item lists kept in one list (Python:
 *       x = [[i] for i in range(N)]; gc.collect()), ns per tracked object,
 *       median of REPS collections after one warm-up;
 *   bench_gc young [ALLOC] [N] [OPS]    gen: pauses of the automatic
 *       collections while a loop makes OPS cyclic pairs of lists (one in 50
 *       kept for a while) over N live single-item lists (2N live objects),
 *       timed around each safepoint that collects and binned by the
 *       generation collected.
 *
 * Uses the benchmark build of the core (no check-build overhead).  Prints
 * one line per figure; `meson test --benchmark` runs small versions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allocators/allocator.h"
#include "collectors/collector.h"
#include "runtime/host.h"
#include "util/clock.h"

static gcb_alloc_choice_t choice;
static void *actx;
static const gcb_collector_t *coll;

static void up(const char *alloc, char **argv)
{
    char err[512];
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    coll = gcb_collector_find("gen");
    if (gcb_alloc_parse(alloc, &choice, err, sizeof err) || gcb_preload_ensure(&choice, argv, err, sizeof err) ||
        !(actx = gcb_alloc_instance(&choice, err, sizeof err)) || coll->init(&p, err, sizeof err)) {
        fprintf(stderr, "bench_gc: %s\n", err);
        exit(2);
    }
    gcb_policy_t policy_ = gcb_collector_policy(coll);
    gcb_runtime_init(choice.top, actx, &policy_);
}

static void down(void)
{
    coll->fini();
    gcb_runtime_fini();
    choice.top->destroy(actx);
}


static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* x = [[i] for i in range(n)], with automatic collections as in Python */
static gcb_frame_t *build(uint64_t n)
{
    gcb_frame_t *f = gcb_frame_push(1);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_object_t *outer = gcb_local(f, 0);
    for (uint64_t i = 0; i < n; i++) {
        gcb_object_t *l = gcb_list_new(1); /* BUILD_LIST 1: exactly one slot */
        gcb_list_set(l, 0, gcb_int_new((int64_t)i));
        gcb_list_append(outer, l);
        gcb_safepoint();
    }
    return f;
}

static int bench_full(const char *alloc, uint64_t n, int reps, char **argv)
{
    up(alloc, argv);
    gcb_frame_t *f = build(n);
    gcb_gc_collect(); /* warm-up: everything in the oldest generation */
    double *t = calloc((size_t)reps, sizeof *t);
    for (int r = 0; r < reps; r++) {
        double t0 = gcb_now_s();
        gcb_gc_collect();
        t[r] = gcb_now_s() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double tracked = (double)n + 1;
    printf("gen full collection, %s, %llu single-item lists (%.0f tracked objects): "
           "median %.1f ns/object (min %.1f, max %.1f; %d collections, median %.1f ms)\n",
           alloc, (unsigned long long)n, tracked, t[reps / 2] * 1e9 / tracked, t[0] * 1e9 / tracked,
           t[reps - 1] * 1e9 / tracked, reps, t[reps / 2] * 1e3);
    free(t);
    gcb_frame_pop(f);
    gcb_gc_collect();
    down();
    return 0;
}

static int bench_young(const char *alloc, uint64_t n, uint64_t ops, char **argv)
{
    up(alloc, argv);
    gcb_frame_t *f = build(n);
    gcb_gc_collect(); /* the live graph is old from here */
    enum { WINDOW = 2000, KEEP_EVERY = 50 };
    gcb_frame_t *w = gcb_frame_push(3);
    gcb_local_set(w, 0, gcb_list_new(WINDOW));
    gcb_object_t *win = gcb_local(w, 0);
    gcb_hist_t h[3];
    for (int g = 0; g < 3; g++)
        gcb_hist_init(&h[g]);
    gcb_gc_stats_t s0, s1;
    coll->stats(&s0);
    double t_start = gcb_now_s();
    for (uint64_t i = 0; i < ops; i++) {
        /* a = [payload]; b = [a]; a.append(b): cyclic garbage once the
         * locals are rebound, as in the `cycles` workload; every 50th pair
         * lives on in a window of 2,000 and is promoted before it dies */
        gcb_object_t *a = gcb_list_new(1);
        gcb_list_set(a, 0, gcb_int_new(100000 + (int64_t)i));
        gcb_local_set(w, 1, a);
        gcb_object_t *b = gcb_list_new(1);
        gcb_list_set(b, 0, gcb_newref(a));
        gcb_list_append(a, b);
        if (i % KEEP_EVERY == 0)
            gcb_list_set(win, (size_t)(i / KEEP_EVERY % WINDOW), gcb_newref(a));
        if (!gcb_hot.pending)
            continue;
        double t0 = gcb_now_s();
        gcb_safepoint();
        double t1 = gcb_now_s();
        coll->stats(&s1);
        for (int g = 2; g >= 0; g--)
            if (s1.collections_per_gen[g] != s0.collections_per_gen[g]) {
                gcb_hist_add(&h[g], (uint64_t)((t1 - t0) * 1e9));
                break;
            }
        s0 = s1;
    }
    double secs = gcb_now_s() - t_start;
    printf("gen pauses, %s, %llu live single-item lists (%llu live objects) + %llu cyclic pairs in %.2f s:\n", alloc,
           (unsigned long long)n, (unsigned long long)(2 * n), (unsigned long long)ops, secs);
    for (int g = 0; g < 3; g++)
        printf("  generation %d: %llu collections, p50 %.1f us, p99 %.1f us, max %.1f us, mean %.1f us\n", g,
               (unsigned long long)h[g].count, (double)gcb_hist_quantile(&h[g], 0.5) / 1e3,
               (double)gcb_hist_quantile(&h[g], 0.99) / 1e3, h[g].count ? (double)h[g].max / 1e3 : 0.0,
               h[g].count ? (double)h[g].sum / (double)h[g].count / 1e3 : 0.0);
    gcb_hist_t young = h[0];
    for (size_t b = 0; b < GCB_HIST_BUCKETS; b++)
        young.buckets[b] += h[1].buckets[b];
    young.count += h[1].count;
    young.sum += h[1].sum;
    young.max = h[1].max > young.max ? h[1].max : young.max;
    if (h[1].count && h[1].min < young.min)
        young.min = h[1].min;
    printf("  young (generations 0 and 1): p99 %.1f us\n", (double)gcb_hist_quantile(&young, 0.99) / 1e3);
    gcb_frame_pop(w);
    gcb_frame_pop(f);
    gcb_gc_collect();
    down();
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "full";
    const char *alloc = argc > 2 ? argv[2] : "pool";
    if (strcmp(mode, "full") == 0)
        return bench_full(alloc, argc > 3 ? strtoull(argv[3], NULL, 0) : 2000000, argc > 4 ? atoi(argv[4]) : 7, argv);
    if (strcmp(mode, "young") == 0)
        return bench_young(alloc, argc > 3 ? strtoull(argv[3], NULL, 0) : 1000000,
                           argc > 4 ? strtoull(argv[4], NULL, 0) : 5000000, argv);
    fprintf(stderr, "usage: bench_gc full|young [ALLOC] [N] [REPS|OPS]\n");
    return 2;
}
