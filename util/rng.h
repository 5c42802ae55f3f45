/*
 * util/rng.h - the workloads' random numbers: xoshiro256** seeded through
 * splitmix64.  Deterministic for a seed on every platform, so a workload's
 * sequence of runtime operations (and its checksum) is a function of the
 * seed alone.
 */
#ifndef GCB_RNG_H
#define GCB_RNG_H

#include <stdint.h>

typedef struct gcb_rng { uint64_t s[4]; } gcb_rng_t;

static inline uint64_t gcb_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void gcb_rng_seed(gcb_rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = gcb_splitmix64(&seed);
}

static inline uint64_t gcb_rng_next(gcb_rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5;
    uint64_t result = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform in [0, n) (n > 0), by multiply-shift. */
static inline uint64_t gcb_rng_below(gcb_rng_t *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)gcb_rng_next(r) * n) >> 64);
}

/* Uniform in [0, 1). */
static inline double gcb_rng_double(gcb_rng_t *r)
{
    return (double)(gcb_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Mixing step for checksums: order-dependent, full avalanche. */
static inline uint64_t gcb_mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

#endif
