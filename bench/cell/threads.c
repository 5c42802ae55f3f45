/*
 * bench/cell/threads.c - a cell's workload on N mutator threads
 * (-p threads=N with mode gil, ft or atomic; docs/threads.md, "Workloads
 * under threads, and determinism").
 *
 * Each thread registers in the runtime's thread table, enters the mode
 * (mode=gil: takes the GIL) and runs its own copy of the workload.  With
 * one thread the copy is the cell's workload itself: same seed, same
 * checksum as mode=default, so a threads=1 run in any mode checks against
 * the default run.  With N > 1, thread t runs seed mix(seed, t) and the
 * cell's checksum is the sum over t of mix(t, checksum_t) (commutative: the
 * order the threads finish in does not matter), its ops the sum of the
 * copies' ops, so both are exact and schedule-independent.
 *
 * Each thread times itself (gcb_now_ns at its start and end: ops/s per
 * thread); the cell's wall time is the runner's, around spawn and join.
 */
#include "bench/cell/cell.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime/gil.h"
#include "runtime/qsbr.h"
#include "runtime/stw.h"
#if GCB_RC_MODE == GCB_RC_BIASED
#include "runtime/brc.h"
/* the record's threads.rc_slow_paths, one key per counter */
#define GCB_X(name, desc) +1
enum { RC_SLOW_N = 0 GCB_BRC_COUNTERS(GCB_X) };
#undef GCB_X
_Static_assert(RC_SLOW_N <= GCB_THREADS_RC_SLOW_MAX, "room for every brc counter in gcb_threads_result_t");
#endif
#include "util/clock.h"
#include "util/rng.h"

typedef struct copy {
    pthread_t th;
    gcb_tstate_t ts;
    const gcb_run_config_t *cfg;
    const gcb_threads_config_t *tc;
    uint64_t seed;
    uint32_t index;            /* the thread's index in the run (cooperative workloads) */
    gcb_workload_result_t wl;
    int rc, left_frames;
    char err[256];
    uint64_t t0_ns, t1_ns;
} copy_t;

static void *copy_main(void *arg)
{
    copy_t *c = arg;
    if (gcb_thread_register(&c->ts)) {
        snprintf(c->err, sizeof c->err, "more than %d mutator threads", GCB_THREADS_MAX);
        c->rc = -1;
        return NULL;
    }
    if (c->tc->mode == GCB_MODE_GIL)
        gcb_gil_take(&c->ts);
    c->t0_ns = gcb_now_ns();
    const gcb_workload_t *wl = c->cfg->wl;
    c->rc = wl->run_thread ? wl->run_thread(&c->cfg->params, c->seed, c->index, c->tc->nthreads, &c->wl, c->err, sizeof c->err)
                           : wl->run(&c->cfg->params, c->seed, &c->wl, c->err, sizeof c->err);
    c->t1_ns = gcb_now_ns();
    c->left_frames = gcb_hot.top != NULL;
    if (c->tc->mode == GCB_MODE_GIL)
        gcb_gil_drop(&c->ts);
    gcb_thread_unregister(&c->ts);
    return NULL;
}

static copy_t copies[GCB_THREADS_MAX];

/* The copies' results into the cell's: ops and cyclic garbage summed, the
 * checksum combined (see the top of the file); -1 if a copy failed. */
static int combine(const gcb_run_config_t *cfg, uint32_t n, gcb_run_result_t *res, char *err, size_t errlen)
{
    gcb_workload_result_t *w = &res->wl;
    memset(w, 0, sizeof *w);
    for (uint32_t t = 0; t < n; t++) {
        copy_t *c = &copies[t];
        if (c->rc) {
            snprintf(err, errlen, "thread %u: %s", t, c->err);
            return -1;
        }
        if (c->left_frames) {
            snprintf(err, errlen, "workload '%s' left frames pushed on thread %u", cfg->wl->name, t);
            return -1;
        }
        w->ops += c->wl.ops;
        w->cyclic_garbage_objects += c->wl.cyclic_garbage_objects;
        w->cross_thread_drops += c->wl.cross_thread_drops;
        /* cooperative: each thread's share of one order-independent sum */
        w->checksum = n == 1 ? c->wl.checksum
                    : cfg->wl->run_thread ? w->checksum + c->wl.checksum
                                          : w->checksum + gcb_mix(t, c->wl.checksum);
        gcb_thread_result_t *r = &res->threads.t[t];
        r->ops = c->wl.ops;
        r->wall_s = (double)(c->t1_ns - c->t0_ns) * 1e-9;
        r->gil_takes = c->ts.gil_takes;
        r->gil_forced_drops = c->ts.gil_forced_drops;
        r->gil_wait_s = (double)c->ts.gil_wait_ns * 1e-9;
    }
    return 0;
}

int gcb_run_threads(const gcb_run_config_t *cfg, const gcb_threads_config_t *tc, gcb_run_result_t *res,
                    char *err, size_t errlen)
{
    uint32_t n = tc->nthreads;
    res->threads.n = n;
    for (uint32_t t = 0; t < n; t++) {
        copy_t *c = &copies[t];
        memset(c, 0, sizeof *c);
        c->cfg = cfg;
        c->tc = tc;
        c->seed = n == 1 || cfg->wl->run_thread ? cfg->seed : gcb_mix(cfg->seed, t);
        c->index = t;
    }
    if (cfg->wl->run_thread && cfg->wl->setup(&cfg->params, n, err, errlen))
        return -1;
    uint32_t started = 0;
    for (; started < n; started++)
        if (pthread_create(&copies[started].th, NULL, copy_main, &copies[started]) != 0)
            break;
    for (uint32_t t = 0; t < started; t++)
        pthread_join(copies[t].th, NULL);
    if (cfg->wl->run_thread)
        cfg->wl->teardown();
    if (started < n) {
        snprintf(err, errlen, "could not start thread %u of %u", started, n);
        return -1;
    }
    if (tc->mode == GCB_MODE_GIL)
        gcb_gil_stats(&res->threads.gil);
    gcb_qsbr_stats_t q;
    gcb_runtime_qsbr_stats(&q); /* the last thread to leave freed what was left */
#define GCB_X(name, field, desc) res->threads.name = q.field;
    GCB_THREADS_QSBR_COUNTERS(GCB_X)
#undef GCB_X
#if GCB_RC_MODE == GCB_RC_BIASED
    gcb_brc_counters_t b; /* every mutator has left: the totals are exact */
    gcb_brc_counters(&b);
    size_t i = 0;
#define GCB_X(name, desc) res->threads.rc_slow_paths[i++] = b.name;
    GCB_BRC_COUNTERS(GCB_X)
#undef GCB_X
#endif
    return combine(cfg, n, res, err, errlen);
}

/* Stop-the-world (mode=ft, runtime/stw.h): stops and their
 * time-to-safepoint apart from the pause, and how a stopped-world
 * collector found its objects. */
static void stw_json(json_t *o)
{
#if GCB_RC_MODE == GCB_RC_BIASED
    gcb_stw_stats_t s;
    gcb_stw_stats(&s);
    json_t *j = json_object();
    json_object_set_new(j, "stops", json_integer((json_int_t)s.stops));
    const gcb_hist_t *h[2] = { &s.ttsp_ns, &s.pause_ns };
    const char *name[2] = { "ttsp", "pause" };
    for (int i = 0; i < 2; i++) {
        char k[32];
        snprintf(k, sizeof k, "%s_p50_ns", name[i]);
        json_object_set_new(j, k, json_integer((json_int_t)gcb_hist_quantile(h[i], 0.50)));
        snprintf(k, sizeof k, "%s_p99_ns", name[i]);
        json_object_set_new(j, k, json_integer((json_int_t)gcb_hist_quantile(h[i], 0.99)));
        snprintf(k, sizeof k, "%s_max_ns", name[i]);
        json_object_set_new(j, k, json_integer((json_int_t)(h[i]->count ? h[i]->max : 0)));
    }
    json_object_set_new(o, "stw", j);
    json_object_set_new(o, "object_enumeration",
                        json_string(gcb_runtime_container_prefix() ? "slot-table" : "none"));
#else
    (void)o;
#endif
}

json_t *gcb_threads_json(const gcb_run_result_t *res)
{
    const gcb_threads_result_t *tr = &res->threads;
    json_t *o = json_object();
    json_object_set_new(o, GCB_K_TH_MODE, json_string(gcb_mode_name(tr->cfg.mode)));
    json_object_set_new(o, "threads", json_integer(tr->n));
    json_object_set_new(o, GCB_K_TH_DROPS, json_integer((json_int_t)res->wl.cross_thread_drops));
    /* the machine's online cores, and whether this run asked for more
     * mutator threads than that (its scaling point is then oversubscribed) */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    json_object_set_new(o, GCB_K_TH_CORES, json_integer(cores));
    json_object_set_new(o, GCB_K_TH_OVERSUB, json_boolean(cores > 0 && (long)tr->n > cores));
    /* this core's header layout (runtime/object.h, compiled per mode):
     * the object header, and the prefix before each container (under ft
     * 0, no PyGC_Head, or ftgc's slot-table word) */
    json_object_set_new(o, GCB_K_TH_HEADER, json_integer((json_int_t)sizeof(gcb_object_t)));
    json_object_set_new(o, GCB_K_TH_PREFIX, json_integer((json_int_t)gcb_runtime_container_prefix()));
    stw_json(o);
#define GCB_X(name, field, desc) json_object_set_new(o, #name, json_integer((json_int_t)tr->name));
    GCB_THREADS_QSBR_COUNTERS(GCB_X)
#undef GCB_X
#if GCB_RC_MODE == GCB_RC_BIASED
    json_t *slow = json_object();
    size_t i = 0;
#define GCB_X(name, desc) json_object_set_new(slow, #name, json_integer((json_int_t)tr->rc_slow_paths[i++]));
    GCB_BRC_COUNTERS(GCB_X)
#undef GCB_X
    json_object_set_new(o, "rc_slow_paths", slow);
#endif
    json_t *per = json_array();
    for (uint32_t t = 0; t < tr->n; t++) {
        const gcb_thread_result_t *r = &tr->t[t];
        json_t *e = json_object();
        json_object_set_new(e, GCB_K_OPS_COUNT, json_integer((json_int_t)r->ops));
        json_object_set_new(e, GCB_K_WALL, json_real(r->wall_s));
        json_object_set_new(e, GCB_K_OPS, json_real(r->wall_s > 0 ? (double)r->ops / r->wall_s : 0));
        if (tr->cfg.mode == GCB_MODE_GIL) {
            json_object_set_new(e, "gil_takes", json_integer((json_int_t)r->gil_takes));
            json_object_set_new(e, "gil_forced_drops", json_integer((json_int_t)r->gil_forced_drops));
            json_object_set_new(e, "gil_wait_s", json_real(r->gil_wait_s));
        }
        json_array_append_new(per, e);
    }
    json_object_set_new(o, "per_thread", per);
    if (tr->cfg.mode == GCB_MODE_GIL) {
        const gcb_gil_stats_t *g = &tr->gil;
        json_t *gj = json_object();
        json_object_set_new(gj, "switch_interval_s", json_real((double)tr->cfg.switch_interval_ns * 1e-9));
        json_object_set_new(gj, "takes", json_integer((json_int_t)g->takes));
        json_object_set_new(gj, "switches", json_integer((json_int_t)g->switches));
        json_object_set_new(gj, "drop_requests", json_integer((json_int_t)g->drop_requests));
        json_object_set_new(gj, "forced_drops", json_integer((json_int_t)g->forced_drops));
        json_object_set_new(gj, "handoff_count", json_integer((json_int_t)g->handoff_ns.count));
        json_object_set_new(gj, "handoff_p50_s", json_real((double)gcb_hist_quantile(&g->handoff_ns, 0.5) * 1e-9));
        json_object_set_new(gj, "handoff_p99_s", json_real((double)gcb_hist_quantile(&g->handoff_ns, 0.99) * 1e-9));
        json_object_set_new(gj, "handoff_max_s", json_real((double)g->handoff_ns.max * 1e-9));
        json_object_set_new(o, "gil", gj);
    }
    return o;
}

/* --- the binary of the mode ------------------------------------------- */

/* Each counting discipline is its own core and its own executable
 * (runtime/object.h): gcbench (modes default and gil), gcbench-ft,
 * gcbench-atomic, side by side in one directory.  A run whose mode is
 * another binary's re-executes itself as that binary with the same
 * arguments, before the allocator's LD_PRELOAD re-exec (which the other
 * binary then does itself). */
static const char *const core_suffix[] = { [GCB_RC_PLAIN] = "", [GCB_RC_BIASED] = "-ft", [GCB_RC_ATOMIC] = "-atomic" };

static int core_of(gcb_thread_mode_t m)
{
    return m == GCB_MODE_FT ? GCB_RC_BIASED : m == GCB_MODE_ATOMIC ? GCB_RC_ATOMIC : GCB_RC_PLAIN;
}

int gcb_core_ensure(const gcb_params_t *p, char **argv, char *err, size_t errlen)
{
    gcb_threads_config_t tc;
    if (gcb_threads_config(p, &tc, err, errlen))
        return -1;
    int want = core_of(tc.mode);
    if (want == GCB_RC_MODE)
        return 0;
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 32);
    if (n <= 0) {
        snprintf(err, errlen, "cannot find this executable (/proc/self/exe): %s", strerror(errno));
        return -1;
    }
    path[n] = '\0';
    size_t own = strlen(core_suffix[GCB_RC_MODE]);
    if ((size_t)n >= own && strcmp(path + n - own, core_suffix[GCB_RC_MODE]) == 0)
        path[n - own] = '\0';
    strcat(path, core_suffix[want]);
    if (access(path, X_OK) != 0) {
        snprintf(err, errlen, "mode=%s runs in %s, which is not next to this executable: %s",
                 gcb_mode_name(tc.mode), path, strerror(errno));
        return -1;
    }
    fflush(NULL);
    execv(path, argv);
    snprintf(err, errlen, "re-exec as %s failed: %s", path, strerror(errno));
    return -1;
}
