/*
 * workloads/replay.c - replays a recorded allocation trace (malloc, calloc,
 * aligned allocations, realloc and free with their sizes, in order) against
 * the run's allocator.  No objects are made, so the collector plays no
 * part: this is the allocator alone under a real program's request stream.
 *
 *     gcbench trace -o py.gcbtrace -- python3 workloads/traces/json_roundtrip.py
 *     gcbench run -a pool -c rc -w replay -p trace=py.gcbtrace
 *
 * Without trace=, the trace meson records at build time is replayed
 * (build/default.gcbtrace: bench/trace/tracegen.c running the strings, dicts and
 * trees workloads on glibc, so it exists wherever gcbench builds, python3 or
 * not).  A user-given trace is read and checked end to end while the
 * parameters are validated: a missing, truncated or corrupt file is an
 * exit-2 error with one line, before anything runs.
 *
 * Each pass replays every event through gcb_mem_alloc / gcb_mem_realloc /
 * gcb_mem_free (the runtime's counted entry points, so live and peak bytes
 * are exact), then frees what the program left live, as its exit would.
 * calloc zeroes its block; every block gets its id written into its first
 * bytes, checked when it is freed or reallocated (a corrupting allocator
 * changes the checksum).  Alignments are not passed on (the allocator
 * interface has none; aligned requests are a handful per CPython run).
 * A request of 0 bytes is replayed as 1.  `ops` counts the events replayed.
 */
#include "workloads/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "runtime/runtime.h"
#include "util/rng.h"
#include "util/trace.h"

/* trace=default: $GCBENCH_DEFAULT_TRACE when set (a build elsewhere, an
 * installed gcbench), else the trace meson records in the build tree. */
static const char *default_trace(void)
{
    const char *env = getenv("GCBENCH_DEFAULT_TRACE");
    return env && *env ? env : GCB_DEFAULT_TRACE;
}

static const char *trace_path(const char *value)
{
    return strcmp(value, "default") == 0 ? default_trace() : value;
}

/* Runs at validation for the user's value and for the default alike
 * (util/params.c checks defaults too), so a missing default trace is an
 * exit-2 input error before anything runs, with what to do about it. */
static int check_trace(const char *value, char *err, size_t errlen)
{
    gcb_trace_t t;
    char why[512];
    if (gcb_trace_open(&t, trace_path(value), why, sizeof why) == 0) {
        gcb_trace_close(&t);
        return 0;
    }
    if (strcmp(value, "default") == 0)
        snprintf(err, errlen, "the default replay trace is unusable (%s): build it with "
                 "`ninja -C build default.gcbtrace`, set GCBENCH_DEFAULT_TRACE=FILE or give -p trace=FILE",
                 why);
    else
        snprintf(err, errlen, "%s", why);
    return -1;
}

static const gcb_param_def_t replay_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: the trace is replayed round(4 x scale) times (at least once)" },
    { "trace", GCB_PARAM_STRING, "default", 0, 0, "the trace file (gcbench trace -o FILE -- CMD); default: the one recorded at build time",
      NULL, check_trace },
    GCB_PARAM_END
};

/* The block's id in its first bytes (as many as fit, up to 8). */
static void stamp(void *p, uint64_t size, uint64_t id)
{
    memcpy(p, &id, size < 8 ? size : 8);
}

static bool stamped(const void *p, uint64_t size, uint64_t id)
{
    uint64_t v = 0;
    memcpy(&v, p, size < 8 ? size : 8);
    uint64_t mask = size >= 8 ? ~0ull : ((1ull << (8 * size)) - 1);
    return v == (id & mask);
}

static int replay_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                      char *err, size_t errlen)
{
    (void)seed;   /* the trace is the program: nothing is random */
    const double scale = gcb_param_double(p, replay_params, "scale");
    const char *path = trace_path(gcb_param_str(p, replay_params, "trace"));
    uint64_t passes = (uint64_t)(4.0 * scale + 0.5);
    if (passes == 0)
        passes = 1;

    gcb_trace_t t;
    if (gcb_trace_open(&t, path, err, errlen))
        return -1;
    /* the replayer's own tables are harness memory, not the allocator's under test */
    uint64_t n = t.stats.max_id + 1;
    void **ptr = calloc(n, sizeof *ptr);
    uint64_t *size = calloc(n, sizeof *size);
    if (!ptr || !size) {
        free(ptr);
        free(size);
        gcb_trace_close(&t);
        snprintf(err, errlen, "out of memory for a trace of %llu blocks", (unsigned long long)n);
        return -1;
    }

    uint64_t ops = 0, h = 0, bad = 0;
    for (uint64_t pass = 0; pass < passes; pass++) {
        gcb_trace_rewind(&t);
        gcb_trace_event_t ev;
        while (gcb_trace_next(&t, &ev)) {
            switch (ev.op) {
            case GCB_TOP_MALLOC:
            case GCB_TOP_CALLOC:
            case GCB_TOP_MEMALIGN: {
                uint64_t sz = ev.size ? ev.size : 1;
                void *q = gcb_mem_alloc(sz);
                if (ev.op == GCB_TOP_CALLOC)
                    memset(q, 0, sz);
                stamp(q, sz, ev.id);
                ptr[ev.id] = q;
                size[ev.id] = sz;
                break;
            }
            case GCB_TOP_FREE:
                bad += !stamped(ptr[ev.id], size[ev.id], ev.id);
                gcb_mem_free(ptr[ev.id], size[ev.id]);
                ptr[ev.id] = NULL;
                break;
            case GCB_TOP_REALLOC: {
                uint64_t sz = ev.size ? ev.size : 1;
                bad += !stamped(ptr[ev.old_id], size[ev.old_id], ev.old_id);
                void *q = gcb_mem_realloc(ptr[ev.old_id], size[ev.old_id], sz);
                ptr[ev.old_id] = NULL;
                stamp(q, sz, ev.id);
                ptr[ev.id] = q;
                size[ev.id] = sz;
                break;
            }
            }
            ops++;
            if ((ops & 4095) == 0)
                gcb_safepoint();
        }
        /* what the program left live: checksum it, then free it as exit would */
        uint64_t live = 0, bytes = 0;
        for (uint64_t id = 1; id < n; id++)
            if (ptr[id]) {
                bad += !stamped(ptr[id], size[id], id);
                live++;
                bytes += size[id];
                gcb_mem_free(ptr[id], size[id]);
                ptr[id] = NULL;
            }
        h = gcb_mix(gcb_mix(gcb_mix(h, ops), live), bytes);
    }
    h = gcb_mix(h, bad);
    free(ptr);
    free(size);
    gcb_trace_close(&t);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_replay = {
    .name = "replay",
    .description = "replays a recorded malloc/realloc/free trace (gcbench trace) against the allocator",
    .ops_unit = "allocation events replayed",
    .params = replay_params,
    .one_copy = 1,
    .run = replay_run,
};
