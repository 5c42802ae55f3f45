/*
 * bench/micro/main.c - gcbench-micro: Google Benchmark microbenchmarks of
 * the costs the matrix's whole-program figures are made of.
 *
 *   loop_overhead/...                 the state loop itself (subtract it)
 *   alloc_free/ALLOC/SIZE             one allocate/free pair (alloc.c)
 *   alloc_free_burst/ALLOC/SIZE       256 allocations, then 256 frees
 *   incref_decref/COLL/OBJECT         one reference taken and dropped (refcount.c)
 *   gc_young/gen/KIND/N               one young collection of N objects (collect.c)
 *   gc_full/COLL/N                    one full collection with N tracked objects
 *   zct/drc/KIND/N                    one ZCT reconciliation of N entries
 *
 * ALLOC is the process allocator serving malloc and the pool over it.
 * Another process allocator is measured by running the binary under it:
 * `--allocator jemalloc` re-executes gcbench-micro under LD_PRELOAD as
 * gcbench does (allocators/preload.c), and checks it took.  Collectors are
 * looked up in the registry when the benchmark runs; one that is not built
 * in is reported with SkipWithError, so the names stay the same in every
 * build.  Memory figures come from the runtime's exact counters through
 * Google Benchmark's MemoryManager (docs/micro.md).
 */
#include "bench/micro/micro.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

gcb_alloc_choice_t gcb__micro_process;
gcb__micro_memory_t gcb__micro_memory;

void gcb__micro_record(const gcb_micro_state_t *st, int64_t allocs, int64_t total_bytes, int64_t max_bytes,
                       int64_t net_bytes)
{
    int64_t it = gcb_micro_iterations(st), want = gcb_micro_max_iterations(st);
    double k = it > 0 ? (double)want / (double)it : 1;
    gcb__micro_memory.valid = 1;
    gcb__micro_memory.m.num_allocs = (int64_t)((double)allocs * k + 0.5);
    gcb__micro_memory.m.total_allocated_bytes = (int64_t)((double)total_bytes * k + 0.5);
    gcb__micro_memory.m.max_bytes_used = max_bytes;
    gcb__micro_memory.m.net_heap_growth = (int64_t)((double)net_bytes * k + (net_bytes < 0 ? -0.5 : 0.5));
}

static void memory_start(void) { gcb__micro_memory.valid = 0; }

static void memory_stop(gcb_micro_memory_t *out)
{
    if (gcb__micro_memory.valid)
        *out = gcb__micro_memory.m;
}

/* --- the runtime of one run ---------------------------------------------- */

int gcb__micro_rt_up(gcb__micro_rt_t *m, const gcb_collector_t *coll, const char *const *params, uint32_t nlocals,
                     char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    static gcb_params_t p;
    memset(&p, 0, sizeof p);
    for (; params && *params; params++) {
        const char *eq = strchr(*params, '=');
        size_t klen = eq ? (size_t)(eq - *params) : 0;
        int declared = 0;
        for (const gcb_param_def_t *d = coll->params; d && d->name && eq; d++)
            declared |= strlen(d->name) == klen && strncmp(d->name, *params, klen) == 0;
        if (declared && gcb_params_add(&p, *params, err, errlen))
            return -1;
    }
    m->pctx = gcb_alloc_process.create(NULL, NULL, err, errlen);
    if (!m->pctx)
        return -1;
    m->actx = gcb_alloc_pool.create(&gcb_alloc_process, m->pctx, err, errlen);
    if (!m->actx)
        return -1;
    if (coll->init(&p, err, errlen)) {
        gcb_alloc_pool.destroy(m->actx);
        return -1;
    }
    m->coll = coll;
    gcb_policy_t policy = gcb_collector_policy(coll);
    gcb_runtime_init(&gcb_alloc_pool, m->actx, &policy);
    m->frame = gcb_frame_push(nlocals);
    gcb__micro_rt_mark(m);
    return 0;
}

void gcb__micro_rt_mark(gcb__micro_rt_t *m) { m->mark = *gcb_runtime_counters(); }

uint64_t gcb__micro_collections(const gcb__micro_rt_t *m)
{
    static gcb_gc_stats_t s;
    m->coll->stats(&s);
    return s.collections;
}

void gcb__micro_rt_down(gcb__micro_rt_t *m, gcb_micro_state_t *st)
{
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    gcb__micro_record(st, (int64_t)(c->objects_allocated - m->mark.objects_allocated),
                      (int64_t)(c->bytes_allocated - m->mark.bytes_allocated), (int64_t)c->live_bytes_peak,
                      (int64_t)c->live_bytes - (int64_t)m->mark.live_bytes);
    gcb_frame_pop(m->frame);
    gcb_gc_collect();
    if (m->coll->fini)
        m->coll->fini();
    gcb_runtime_fini();
    gcb_alloc_pool.destroy(m->actx);
    gcb_alloc_process.destroy(m->pctx);
}

/* --- the state loop itself ----------------------------------------------- */

static void bm_loop_batch(gcb_micro_state_t *st, void *arg)
{
    (void)arg;
    while (gcb_micro_keep_running_batch(st, 64))
        for (int i = 0; i < 64; i++)
            gcb_micro_clobber();
    gcb_micro_items_processed(st, gcb_micro_iterations(st));
}

static void bm_loop_single(gcb_micro_state_t *st, void *arg)
{
    (void)arg;
    while (gcb_micro_keep_running(st))
        gcb_micro_clobber();
}

/* --- main ---------------------------------------------------------------- */

static const char help[] =
    "usage: gcbench-micro [--allocator NAME] [Google Benchmark flags]\n"
    "\n"
    "Microbenchmarks of allocate/free pairs per size class, incref/decref, young and\n"
    "full collections and ZCT reconciliation (docs/micro.md), through Google Benchmark.\n"
    "\n"
    "  --allocator NAME   the process allocator to measure under: glibc (default),\n"
    "                     jemalloc, mimalloc, tcmalloc or NAME=/path/lib.so; gcbench-micro\n"
    "                     re-executes itself under LD_PRELOAD.  The pool benchmarks run\n"
    "                     over it.\n"
    "\n"
    "Google Benchmark's flags all work, e.g. --benchmark_filter=REGEX,\n"
    "--benchmark_repetitions=5, --benchmark_min_time=0.05 (seconds; Debian's 1.7.1),\n"
    "--benchmark_format=json, --benchmark_out=FILE --benchmark_out_format=json,\n"
    "--benchmark_list_tests.  Its own help follows.\n\n";

/* Google Benchmark takes a bad --benchmark_filter regex or an unknown
 * --benchmark_format with a warning and exits 0 having run nothing; here
 * they are bad input (exit 2, one line), checked before any work.  The
 * filter is compiled as the library compiles it (POSIX extended). */
static int check_bench_flags(int n, char **args)
{
    static const char *const fmt_flags[] = { "--benchmark_format=", "--benchmark_out_format=" };
    for (int i = 1; i < n; i++) {
        if (strncmp(args[i], "--benchmark_filter=", 19) == 0) {
            const char *re = args[i] + 19;
            regex_t r;
            int e = regcomp(&r, re[0] == '-' ? re + 1 : re, REG_EXTENDED | REG_NOSUB);
            if (e) {
                char why[256];
                regerror(e, &r, why, sizeof why);
                fprintf(stderr, "gcbench-micro: --benchmark_filter '%s': not a regular expression (%s); "
                                "give an extended regex, e.g. 'alloc/.*'\n", re, why);
                return -1;
            }
            regfree(&r);
        }
        for (size_t k = 0; k < 2; k++) {
            size_t len = strlen(fmt_flags[k]);
            if (strncmp(args[i], fmt_flags[k], len) == 0 && strcmp(args[i] + len, "console") != 0 &&
                strcmp(args[i] + len, "json") != 0 && strcmp(args[i] + len, "csv") != 0) {
                fprintf(stderr, "gcbench-micro: %.*s '%s': give console, json or csv\n", (int)len - 1, fmt_flags[k],
                        args[i] + len);
                return -1;
            }
        }
    }
    return 0;
}

/* gcb_alloc_parse's message lists every allocator of `gcbench run`; the
 * microbenchmarks take a process allocator only, so say those. */
static void unknown_allocator(const char *spec)
{
    char list[1024] = "";
    size_t off = 0;
    for (size_t i = 0; i < gcb_process_allocator_count && off < sizeof list; i++)
        off += (size_t)snprintf(list + off, sizeof list - off, " %s", gcb_process_allocators[i].name);
    fprintf(stderr, "gcbench-micro: --allocator '%s': not a process allocator; accepted:%s, NAME=/path/lib.so "
                    "(the pool benchmarks run over it)\n", spec, list);
}

int main(int argc, char **argv)
{
    const char *spec = "glibc";
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0, want_help = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && strcmp(argv[i], "--allocator") == 0) {
            if (i + 1 == argc) {
                fprintf(stderr, "gcbench-micro: --allocator needs a value "
                                "(glibc, jemalloc, mimalloc, tcmalloc, NAME=/path.so)\n");
                return 2;
            }
            spec = argv[++i];
            continue;
        }
        if (i > 0 && strncmp(argv[i], "--allocator=", 12) == 0) {
            spec = argv[i] + 12;
            continue;
        }
        want_help |= i > 0 && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0);
        rest[nrest++] = argv[i];
    }
    if (want_help)
        fputs(help, stdout);
    char err[1024];
    if (check_bench_flags(nrest, rest))
        return 2;
    int parsed = gcb_alloc_parse(spec, &gcb__micro_process, err, sizeof err);
    if (parsed && strchr(spec, '=')) { /* a user library: its own message (not found, crashed...) */
        fprintf(stderr, "gcbench-micro: %s\n", err);
        return 2;
    }
    if (parsed || gcb__micro_process.top != &gcb_alloc_process) {
        unknown_allocator(spec);
        return 2;
    }
    if (gcb_preload_ensure(&gcb__micro_process, argv, err, sizeof err)) {
        fprintf(stderr, "gcbench-micro: %s\n", err);
        return 1;
    }

    gcb_micro_context("gcbench_version", GCB_VERSION);
    gcb_micro_context("process_allocator", gcb__micro_process.process);
    gcb_micro_context("malloc_in_effect", gcb_preload_version());
    char colls[1024] = "";
    size_t off = 0;
    for (size_t i = 0; i < gcb_collector_count && off < sizeof colls; i++)
        off += (size_t)snprintf(colls + off, sizeof colls - off, "%s%s", i ? "," : "", gcb_collectors[i]->name);
    gcb_micro_context("collectors_built", colls);

    gcb_micro_register("loop_overhead/batch", bm_loop_batch, NULL);
    gcb_micro_register("loop_overhead/single", bm_loop_single, NULL);
    gcb__micro_register_alloc();
    gcb__micro_register_refcount();
    gcb__micro_register_collect();
    gcb_micro_memory_manager(memory_start, memory_stop);
    int rc = gcb_micro_main(nrest, rest);
    free(rest);
    return rc;
}
