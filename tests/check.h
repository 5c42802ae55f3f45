/*
 * tests/check.h - the assertions every test program uses.
 *
 * CHECK keeps going after a failure so one run shows every broken
 * expectation; gcb_check_exit() makes the exit status say whether any
 * failed (meson reads it).  Messages go to stderr with file:line.
 * The counters are atomic because threaded tests (test_stw, the BRC
 * cases) CHECK from their worker threads; a plain int there is a data
 * race ThreadSanitizer reports, and a lost increment could hide a
 * failure.
 */
#ifndef GCB_CHECK_H
#define GCB_CHECK_H

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static _Atomic int gcb_check_failures;
static _Atomic int gcb_check_count;

#define CHECK(cond)                                                          \
    do {                                                                     \
        gcb_check_count++;                                                   \
        if (!(cond)) {                                                       \
            gcb_check_failures++;                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                    \
    } while (0)

#define CHECK_EQ_U(a, b)                                                     \
    do {                                                                     \
        uint64_t ca_ = (uint64_t)(a), cb_ = (uint64_t)(b);                   \
        gcb_check_count++;                                                   \
        if (ca_ != cb_) {                                                    \
            gcb_check_failures++;                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%" PRIu64 " != %" PRIu64 ")\n", \
                    __FILE__, __LINE__, #a, #b, ca_, cb_);                   \
        }                                                                    \
    } while (0)

#define CHECK_EQ_I(a, b)                                                     \
    do {                                                                     \
        int64_t ca_ = (int64_t)(a), cb_ = (int64_t)(b);                      \
        gcb_check_count++;                                                   \
        if (ca_ != cb_) {                                                    \
            gcb_check_failures++;                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%" PRId64 " != %" PRId64 ")\n", \
                    __FILE__, __LINE__, #a, #b, ca_, cb_);                   \
        }                                                                    \
    } while (0)

static inline int gcb_check_exit(const char *name)
{
    fprintf(stderr, "%s: %d checks, %d failed\n", name, atomic_load(&gcb_check_count),
            atomic_load(&gcb_check_failures));
    return atomic_load(&gcb_check_failures) ? 1 : 0;
}

#endif
