/*
 * bench/cell/record.c - the result record of one run (JSON, schema versioned;
 * docs/results.md documents every field) and atomic file writing.
 */
#include "bench/cell/cell.h"
#include "bench/report/format.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *stat_or_null(uint64_t v)
{
    return v == GCB_STAT_UNKNOWN ? json_null() : json_integer((json_int_t)v);
}

static json_t *gc_json(const gcb_gc_stats_t *gc)
{
    json_t *o = json_object();
#define GCB_X(name, desc) json_object_set_new(o, #name, json_integer((json_int_t)gc->name));
    GCB_GC_COUNTERS(GCB_X)
#undef GCB_X
    json_t *per = json_array();
    for (int g = 0; g < gc->generations && g < GCB_GC_MAX_GENERATIONS; g++)
        json_array_append_new(per, json_integer((json_int_t)gc->collections_per_gen[g]));
    json_object_set_new(o, "collections_per_generation", per);
    json_object_set_new(o, GCB_K_GC_TIME, json_real(gc->gc_time_s));
    json_t *p = json_object();
    json_object_set_new(p, "count", json_integer((json_int_t)gc->pauses.count));
    json_object_set_new(p, "p50", json_integer((json_int_t)gcb_hist_quantile(&gc->pauses, 0.50)));
    json_object_set_new(p, "p90", json_integer((json_int_t)gcb_hist_quantile(&gc->pauses, 0.90)));
    json_object_set_new(p, "p99", json_integer((json_int_t)gcb_hist_quantile(&gc->pauses, 0.99)));
    json_object_set_new(p, "p999", json_integer((json_int_t)gcb_hist_quantile(&gc->pauses, 0.999)));
    json_object_set_new(p, "max", json_integer((json_int_t)(gc->pauses.count ? gc->pauses.max : 0)));
    json_object_set_new(p, "total", json_integer((json_int_t)gc->pauses.sum));
    json_object_set_new(o, GCB_K_PAUSES, p);
    return o;
}

/* Every parameter the cell's tables declare, with the value the run used:
 * the user's, else the row's default.  A reader can then tell which
 * thresholds or layout a run had without knowing the defaults of the
 * build that wrote it. */
static json_t *effective_json(const gcb_run_config_t *cfg)
{
    json_t *o = json_object();
    const gcb_param_def_t *tables[GCB_RUN_TABLES];
    gcb_run_tables(cfg->wl, cfg->coll, tables);
    for (size_t t = 0; tables[t]; t++)
        for (const gcb_param_def_t *d = tables[t]; d->name; d++)
            if (!json_object_get(o, d->name)) {
                const char *v = t == 1 && cfg->coll->param_value ? cfg->coll->param_value(&cfg->params, d)
                                                                 : gcb_param_text(&cfg->params, d);
                json_object_set_new(o, d->name, json_string(v));
            }
    return o;
}

/* The CPython version preset the collector ran under: its `cpython` row's
 * effective value (gen, incremental), null for collectors without one. */
static json_t *preset_json(const gcb_run_config_t *cfg)
{
    for (const gcb_param_def_t *d = cfg->coll->params; d->name; d++)
        if (strcmp(d->name, "cpython") == 0)
            return json_string(cfg->coll->param_value ? cfg->coll->param_value(&cfg->params, d)
                                                       : gcb_param_text(&cfg->params, d));
    return json_null();
}

json_t *gcb_record_json(const gcb_run_config_t *cfg, const gcb_run_result_t *res)
{
    json_t *r = json_object();
    json_object_set_new(r, GCB_K_SCHEMA, json_integer(GCB_SCHEMA_VERSION));
    json_object_set_new(r, GCB_K_ALLOCATOR, json_string(cfg->alloc.name));
    json_object_set_new(r, GCB_K_COLLECTOR, json_string(cfg->coll->name));
    json_object_set_new(r, GCB_K_WORKLOAD, json_string(cfg->wl->name));
    json_t *params = json_object();
    for (size_t i = 0; i < cfg->params.n; i++)
        json_object_set_new(params, cfg->params.kv[i].key, json_string(cfg->params.kv[i].value));
    json_object_set_new(r, GCB_K_PARAMS, params);
    json_object_set_new(r, GCB_K_PARAMS_EFF, effective_json(cfg));
    json_object_set_new(r, "preset", preset_json(cfg));
    json_object_set_new(r, GCB_K_SEED, json_integer((json_int_t)cfg->seed));
    json_object_set_new(r, GCB_K_OPS_COUNT, json_integer((json_int_t)res->wl.ops));
    json_object_set_new(r, GCB_K_OPS_UNIT, json_string(cfg->wl->ops_unit));
    json_object_set_new(r, GCB_K_OPS, json_real(res->wall_s > 0 ? (double)res->wl.ops / res->wall_s : 0));
    json_object_set_new(r, GCB_K_WALL, json_real(res->wall_s));
    json_object_set_new(r, GCB_K_USER, json_real(res->user_s));
    json_object_set_new(r, GCB_K_SYS, json_real(res->sys_s));
    json_object_set_new(r, "final_collect_s", json_real(res->final_collect_s));
    json_object_set_new(r, GCB_K_RSS, json_integer((json_int_t)res->peak_rss_bytes));
    json_object_set_new(r, GCB_K_MINFLT, json_integer((json_int_t)res->minor_faults));
    json_object_set_new(r, GCB_K_MAJFLT, json_integer((json_int_t)res->major_faults));
    json_object_set_new(r, "anon_huge_bytes", stat_or_null(res->anon_huge_bytes));
    json_object_set_new(r, "live_bytes_peak", json_integer((json_int_t)res->counters.live_bytes_peak));
    json_object_set_new(r, "live_objects_peak", json_integer((json_int_t)res->counters.live_objects_peak));
    json_object_set_new(r, "fragmentation",
                        json_real(res->counters.live_bytes_peak
                                      ? (double)res->peak_rss_bytes / (double)res->counters.live_bytes_peak
                                      : 0));
    json_object_set_new(r, "leaked_objects", json_integer((json_int_t)res->leaked_objects));
    json_object_set_new(r, "leaked_bytes", json_integer((json_int_t)res->leaked_bytes));
    json_object_set_new(r, "cyclic_garbage_objects", json_integer((json_int_t)res->wl.cyclic_garbage_objects));
    char sum[24];
    snprintf(sum, sizeof sum, "%016llx", (unsigned long long)res->wl.checksum);
    json_object_set_new(r, "checksum", json_string(sum));

    json_t *rt = json_object();
#define GCB_X(name, desc) json_object_set_new(rt, #name, json_integer((json_int_t)res->counters.name));
    GCB_RT_COUNTERS(GCB_X)
#undef GCB_X
    json_object_set_new(r, "runtime", rt);
    json_object_set_new(r, GCB_K_GC, gc_json(&res->gc));

    json_t *as = json_object();
    json_object_set_new(as, "process_allocator", json_string(cfg->alloc.process));
    json_object_set_new(as, "version", json_string(res->alloc_version));
    /* the sized entry point frees went through, null for plain free() */
    json_object_set_new(as, "sized_free", res->sized_free_entry[0] ? json_string(res->sized_free_entry) : json_null());
    json_object_set_new(as, "allocated", stat_or_null(res->alloc_stats.allocated));
    json_object_set_new(as, "active", stat_or_null(res->alloc_stats.active));
    json_object_set_new(as, "resident", stat_or_null(res->alloc_stats.resident));
    json_object_set_new(as, "mapped", stat_or_null(res->alloc_stats.mapped));
    json_object_set_new(as, "arenas", stat_or_null(res->alloc_stats.arenas));
    json_object_set_new(as, "arenas_freed", stat_or_null(res->alloc_stats.arenas_freed));
    json_object_set_new(r, "allocator_stats", as);
    json_object_set_new(r, GCB_K_TIMELINE, gcb_timeline_json(&res->timeline));
    if (res->threads.cfg.mode != GCB_MODE_DEFAULT)
        json_object_set_new(r, GCB_K_THREADS, gcb_threads_json(res));
    json_object_set_new(r, GCB_K_CONTEXT, gcb_context_json());
    if (res->python)                   /* a py: cell: the interpreter's version and build */
        json_object_set(json_object_get(r, GCB_K_CONTEXT), GCB_K_PYTHON, res->python);
    return r;
}

void gcb_record_print_line(FILE *out, const gcb_run_config_t *cfg, const gcb_run_result_t *res)
{
    char rss[32], live[32], leak[32];
    gcb_fmt_bytes1(rss, sizeof rss, (double)res->peak_rss_bytes);
    gcb_fmt_bytes1(live, sizeof live, (double)res->counters.live_bytes_peak);
    gcb_fmt_bytes1(leak, sizeof leak, (double)res->leaked_bytes);
    fprintf(out,
            "%s/%s/%s: %.3f Mops/s (%llu ops in %.3f s wall, %.3f user, %.3f sys), peak RSS %s, "
            "live peak %s, leaked %llu objects (%s), %llu collections, checksum %016llx\n",
            cfg->alloc.name, cfg->coll->name, cfg->wl->name,
            res->wall_s > 0 ? (double)res->wl.ops / res->wall_s / 1e6 : 0,
            (unsigned long long)res->wl.ops, res->wall_s, res->user_s, res->sys_s, rss, live,
            (unsigned long long)res->leaked_objects, leak, (unsigned long long)res->gc.collections,
            (unsigned long long)res->wl.checksum);
}
