/*
 * bench/cell/timeline.h - live bytes and RSS over the life of one run, sampled
 * by the runtime's allocation hook (gcb_runtime_set_sampler).
 */
#ifndef GCB_TIMELINE_H
#define GCB_TIMELINE_H

#include <jansson.h>
#include <stdint.h>

/* --- tunables ---------------------------------------------------------- */
/* The runtime calls the sampler every CHECK_EVERY object allocations; the
 * sampler takes a point when POINT_ALLOCS allocations or POINT_S seconds
 * have passed since the last point, whichever comes first.  When the
 * buffer holds MAX_POINTS, every other point is dropped and both intervals
 * double, so the points stay evenly spread and their number bounded. */
#define GCB_TIMELINE_CHECK_EVERY 1024
#define GCB_TIMELINE_POINT_ALLOCS (64 * 1024)
#define GCB_TIMELINE_POINT_S 0.001
#define GCB_TIMELINE_MAX_POINTS 256
_Static_assert(GCB_TIMELINE_MAX_POINTS % 2 == 0 && GCB_TIMELINE_MAX_POINTS >= 4,
               "downsampling halves the buffer");
_Static_assert(GCB_TIMELINE_POINT_ALLOCS % GCB_TIMELINE_CHECK_EVERY == 0,
               "a point interval is a whole number of checks");

typedef struct gcb_timeline_point {
    double t_s;              /* since the workload started */
    uint64_t allocations;    /* objects allocated so far (the runtime's counter) */
    uint64_t live_bytes;     /* the runtime's exact live bytes */
    uint64_t live_objects;
    uint64_t rss_bytes;      /* resident set of the process (/proc/self/statm) */
} gcb_timeline_point_t;

typedef struct gcb_timeline {
    int enabled;
    uint32_t n;
    uint32_t downsamples;        /* how many times the buffer was halved */
    double t0, next_t, every_s;
    uint64_t next_allocs, every_allocs;
    uint64_t rss_peak_sampled;   /* the largest RSS seen by a sample */
    uint64_t checks;             /* calls of the sampler */
    double point_s;              /* time spent taking points (self-timed) */
    double clock_s;              /* cost of one clock read, measured at start */
    int statm_fd;
    gcb_timeline_point_t pts[GCB_TIMELINE_MAX_POINTS];
} gcb_timeline_t;

/* Start sampling (takes the first point).  `enabled` 0: do nothing, and
 * gcb_timeline_json then gives null. */
void gcb_timeline_start(gcb_timeline_t *tl, int enabled);
/* Take the last point and detach from the runtime. */
void gcb_timeline_stop(gcb_timeline_t *tl);
/* {"columns": [...], "points": [[...], ...], ...} or null when off. */
json_t *gcb_timeline_json(const gcb_timeline_t *tl);

#endif
