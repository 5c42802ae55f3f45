/*
 * bench/cell/timeline.c - the live-bytes and RSS timeline of a run.
 *
 * Cost model: the runtime decrements a counter on every object allocation
 * (always, timeline or not) and calls sample() every CHECK_EVERY
 * allocations; sample() reads the monotonic clock (vDSO, no syscall) and
 * only when a point is due reads /proc/self/statm with one pread().  With
 * points at most every millisecond that is well under 1% of a run; the
 * figure measured is in docs/performance.md.
 *
 * Invariant: pts[0..n) are in increasing t_s and allocations; after a
 * downsample the intervals between kept points are twice the previous
 * ones, and next_t / next_allocs are measured from the last kept point.
 */
#include "bench/cell/timeline.h"
#include "bench/resultdir/keys.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/host.h"
#include "util/clock.h"


static uint64_t read_rss(int fd)
{
    char buf[128];
    if (fd < 0)
        return 0;
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = buf;
    strtoull(p, &p, 10);                        /* size */
    unsigned long long res = strtoull(p, NULL, 10); /* resident */
    static long page;
    if (!page)
        page = sysconf(_SC_PAGESIZE);
    return (uint64_t)res * (uint64_t)page;
}

static void take_point(gcb_timeline_t *tl, double t)
{
    if (tl->n == GCB_TIMELINE_MAX_POINTS) {
        /* keep 0, 2, 4, ...: the first point stays, spacing doubles */
        for (uint32_t i = 0; i < GCB_TIMELINE_MAX_POINTS / 2; i++)
            tl->pts[i] = tl->pts[2 * i];
        tl->n = GCB_TIMELINE_MAX_POINTS / 2;
        tl->every_s *= 2;
        tl->every_allocs *= 2;
        tl->downsamples++;
    }
    const gcb_rt_counters_t *c = gcb_runtime_counters();
    gcb_timeline_point_t *p = &tl->pts[tl->n++];
    p->t_s = t - tl->t0;
    p->allocations = c->objects_allocated;
    p->live_bytes = c->live_bytes;
    p->live_objects = c->live_objects;
    p->rss_bytes = read_rss(tl->statm_fd);
    if (p->rss_bytes > tl->rss_peak_sampled)
        tl->rss_peak_sampled = p->rss_bytes;
    tl->next_t = t + tl->every_s;
    tl->next_allocs = c->objects_allocated + tl->every_allocs;
}

static void sample(void *arg)
{
    gcb_timeline_t *tl = arg;
    double t = gcb_now_s();
    tl->checks++;
    if (t >= tl->next_t || gcb_runtime_counters()->objects_allocated >= tl->next_allocs) {
        take_point(tl, t);
        tl->point_s += gcb_now_s() - t;
    }
}

void gcb_timeline_start(gcb_timeline_t *tl, int enabled)
{
    memset(tl, 0, sizeof *tl);
    tl->statm_fd = -1;
    tl->enabled = enabled;
    if (!enabled)
        return;
    tl->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    tl->every_s = GCB_TIMELINE_POINT_S;
    tl->every_allocs = GCB_TIMELINE_POINT_ALLOCS;
    /* the cost of a check is one clock read: time 256 of them */
    double c0 = gcb_now_s(), c1 = c0;
    for (int i = 0; i < 256; i++)
        c1 = gcb_now_s();
    tl->clock_s = (c1 - c0) / 256;
    tl->t0 = gcb_now_s();
    take_point(tl, tl->t0);
    gcb_runtime_set_sampler(sample, tl, GCB_TIMELINE_CHECK_EVERY);
}

void gcb_timeline_stop(gcb_timeline_t *tl)
{
    if (!tl->enabled)
        return;
    gcb_runtime_set_sampler(NULL, NULL, 0);
    take_point(tl, gcb_now_s());
    if (tl->statm_fd >= 0)
        close(tl->statm_fd);
    tl->statm_fd = -1;
}

json_t *gcb_timeline_json(const gcb_timeline_t *tl)
{
    if (!tl->enabled)
        return json_null();
    json_t *o = json_object();
    json_t *cols = json_array();
    static const char *names[] = { "t_s", "allocations", "live_bytes", "live_objects", "rss_bytes" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        json_array_append_new(cols, json_string(names[i]));
    json_object_set_new(o, "columns", cols);
    json_t *pts = json_array();
    for (uint32_t i = 0; i < tl->n; i++) {
        const gcb_timeline_point_t *p = &tl->pts[i];
        json_t *row = json_array();
        json_array_append_new(row, json_real(p->t_s));
        json_array_append_new(row, json_integer((json_int_t)p->allocations));
        json_array_append_new(row, json_integer((json_int_t)p->live_bytes));
        json_array_append_new(row, json_integer((json_int_t)p->live_objects));
        json_array_append_new(row, json_integer((json_int_t)p->rss_bytes));
        json_array_append_new(pts, row);
    }
    json_object_set_new(o, GCB_K_TL_POINTS, pts);
    json_object_set_new(o, "every_s", json_real(tl->every_s));
    json_object_set_new(o, "every_allocations", json_integer((json_int_t)tl->every_allocs));
    json_object_set_new(o, "downsamples", json_integer(tl->downsamples));
    json_object_set_new(o, "rss_peak_sampled_bytes", json_integer((json_int_t)tl->rss_peak_sampled));
    /* what sampling cost, measured in-band (robust to other load on the
     * machine): the time taking points plus one clock read per check */
    double cost = tl->point_s + (double)tl->checks * tl->clock_s;
    double span = tl->n ? tl->pts[tl->n - 1].t_s : 0;
    json_object_set_new(o, "checks", json_integer((json_int_t)tl->checks));
    json_object_set_new(o, "sampler_s", json_real(cost));
    json_object_set_new(o, "overhead_fraction", json_real(span > 0 ? cost / span : 0));
    return o;
}
