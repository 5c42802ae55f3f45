/*
 * util/clock.h - the monotonic clock every pause, run and sample is timed
 * with (CLOCK_MONOTONIC: never steps back, not moved by NTP slewing of the
 * wall clock; read through the vDSO, about 20 ns).
 */
#ifndef GCB_CLOCK_H
#define GCB_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t gcb_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline double gcb_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
