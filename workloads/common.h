/*
 * workloads/common.h - helpers several workloads share: Python's `==` on
 * nested values, a checksum of a value computed from its contents (never
 * from an address, so it is the same under every allocator), and the
 * random distributions the workloads draw sizes and lifetimes from.
 *
 * Everything here only reads objects or calls the runtime API; none of it
 * reaches a safepoint, so borrowed pointers handed in stay valid.
 */
#ifndef GCB_WORKLOADS_COMMON_H
#define GCB_WORKLOADS_COMMON_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "runtime/runtime.h"
#include "util/rng.h"

/* Python's `a == b` for None, int, float, str, tuple, list and dict
 * (recursive on containers; identity for anything else, as object.__eq__).
 * Containers compared must be acyclic. */
bool gcb_wl_equal(gcb_object_t *a, gcb_object_t *b);

/* Mix the contents of `o` into `h`: type, value, length, then the items of
 * containers down to `depth` levels (0: the object itself only; containers
 * then contribute their type and length).  Instances contribute their class
 * name and their __dict__. */
uint64_t gcb_wl_hash(uint64_t h, gcb_object_t *o, int depth);

/* Log-uniform integer in [lo, hi] (lo >= 1): as many values in 1..10 as in
 * 100..1000, the shape of string and container sizes in real programs. */
static inline uint64_t gcb_wl_loguniform(gcb_rng_t *r, uint64_t lo, uint64_t hi)
{
    double x = exp(log((double)lo) + gcb_rng_double(r) * (log((double)hi + 1.0) - log((double)lo)));
    uint64_t v = (uint64_t)x;
    return v < lo ? lo : v > hi ? hi : v;
}

/* Exponential with the given mean (> 0). */
static inline double gcb_wl_exponential(gcb_rng_t *r, double mean)
{
    return -mean * log1p(-gcb_rng_double(r));
}

/* Pareto with shape alpha (> 1) and the given mean: scale xm = mean (alpha-1)/alpha. */
static inline double gcb_wl_pareto(gcb_rng_t *r, double mean, double alpha)
{
    double xm = mean * (alpha - 1.0) / alpha;
    return xm / pow(1.0 - gcb_rng_double(r), 1.0 / alpha);
}

#endif
