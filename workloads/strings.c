/*
 * workloads/strings.c - string building, slicing and sys.intern, with sizes
 * from a few bytes to several KiB: the seed notes' "strings are immutable,
 * a change makes a new object" and sys.getrefcount("hi").
 *
 *     TEXT = "..." * 8 KiB                         # a code constant
 *     names = [sys.intern("name%d" % k) for k in range(n_names)]
 *     window = [""] * window_len                   # recent strings, kept a while
 *     for i in range(n):
 *         L = loguniform(min_len, max_len)
 *         s = TEXT[o:o + L]                        # a new str of L characters
 *         w = window[randrange(window_len)]
 *         t = w + s if len(w) + L <= max_len else s     # concatenation
 *         u = t[lo:hi]                             # slicing (t[:] is t itself)
 *         window[i % window_len] = u               # the string replaced dies
 *         if random() < intern_rate:
 *             if random() < intern_hit:            # the name is already interned
 *                 k = sys.intern(copy_of(names[randrange(n_names)]))  # the copy dies
 *             else:                                # a new name enters the table
 *                 k = sys.intern("key%d" % i)
 *                 names[randrange(n_names)] = k    # the name replaced leaves it
 *
 * A string of n characters is 41 + n bytes (runtime/str.c), so with the
 * default max_len a quarter of the strings (log-uniform sizes) are above
 * pymalloc's 512-byte cutoff and go to the process allocator.
 * `ops` counts the string objects created.
 */
#include "workloads/workload.h"

#include <stdio.h>

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t strings_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 600,000 x scale iterations" },
    { "min_len", GCB_PARAM_INT, "1", 1, 1 << 20, "shortest new string, in characters" },
    { "max_len", GCB_PARAM_INT, "4096", 1, 1 << 20, "longest string, in characters (sizes are log-uniform)" },
    { "window", GCB_PARAM_INT, "256", 1, 1 << 24, "recent strings kept alive (a string lives window iterations)" },
    { "intern_rate", GCB_PARAM_DOUBLE, "0.25", 0, 1, "fraction of iterations that call sys.intern" },
    { "intern_hit", GCB_PARAM_DOUBLE, "0.7", 0, 1, "fraction of sys.intern calls whose string is already interned" },
    { "names", GCB_PARAM_INT, "512", 1, 1 << 24, "interned names kept alive" },
    GCB_PARAM_END
};

enum { L_TEXT, L_NAMES, L_WINDOW, L_S, L_T, L_U, L_K, NLOCALS };

static int strings_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                       char *err, size_t errlen)
{
    const uint64_t n = (uint64_t)(600000.0 * gcb_param_double(p, strings_params, "scale"));
    const uint64_t min_len = (uint64_t)gcb_param_int(p, strings_params, "min_len");
    const uint64_t max_len = (uint64_t)gcb_param_int(p, strings_params, "max_len");
    const uint64_t window_len = (uint64_t)gcb_param_int(p, strings_params, "window");
    const double intern_rate = gcb_param_double(p, strings_params, "intern_rate");
    const double intern_hit = gcb_param_double(p, strings_params, "intern_hit");
    const uint64_t n_names = (uint64_t)gcb_param_int(p, strings_params, "names");
    if (min_len > max_len) {
        snprintf(err, errlen, "min_len=%llu is above max_len=%llu", (unsigned long long)min_len,
                 (unsigned long long)max_len);
        return -1;
    }

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t ops = 0, h = 0, hits = 0;

    /* TEXT: max_len pseudo-random letters; slices of it are the new strings */
    {
        char *buf = gcb_mem_alloc(max_len);
        for (uint64_t i = 0; i < max_len; i++)
            buf[i] = (char)('a' + gcb_rng_below(&rng, 26));
        gcb_local_set(f, L_TEXT, gcb_str_new(buf, max_len));
        gcb_mem_free(buf, max_len);
    }
    gcb_local_set(f, L_NAMES, gcb_list_new(0));
    for (uint64_t k = 0; k < n_names; k++) {
        char name[32];
        int len = snprintf(name, sizeof name, "name%llu", (unsigned long long)k);
        gcb_list_append(gcb_local(f, L_NAMES), gcb_str_intern(gcb_str_new(name, (size_t)len)));
    }
    gcb_local_set(f, L_WINDOW, gcb_list_new(window_len)); /* [None] * window_len */
    gcb_safepoint();

    for (uint64_t i = 0; i < n; i++) {
        gcb_object_t *text = gcb_local(f, L_TEXT), *window = gcb_local(f, L_WINDOW);
        uint64_t len = gcb_wl_loguniform(&rng, min_len, max_len);
        int64_t o = (int64_t)gcb_rng_below(&rng, max_len - len + 1);
        gcb_local_set(f, L_S, gcb_str_slice(text, o, o + (int64_t)len));
        ops++;

        gcb_object_t *w = gcb_list_get(window, gcb_rng_below(&rng, window_len));
        gcb_object_t *s = gcb_local(f, L_S);
        if (w != gcb_None && gcb_str_len(w) + len <= max_len) {
            gcb_local_set(f, L_T, gcb_str_concat(w, s));
            ops++;
        } else {
            gcb_local_set(f, L_T, gcb_newref(s));
        }

        gcb_object_t *t = gcb_local(f, L_T);
        int64_t tl = (int64_t)gcb_str_len(t);
        int64_t lo = (int64_t)gcb_rng_below(&rng, (uint64_t)tl + 1);
        int64_t hi = (int64_t)gcb_rng_below(&rng, (uint64_t)tl + 1);
        if (hi < lo) { int64_t x = lo; lo = hi; hi = x; }
        if (gcb_rng_below(&rng, 8) == 0) { lo = 0; hi = tl; }   /* t[:] is t */
        gcb_object_t *u = gcb_str_slice(t, lo, hi);
        if (u != t)
            ops++;
        h = gcb_mix(h, gcb_str_len(u) * 2 + (u == t));
        gcb_list_set(window, i % window_len, u);

        if (gcb_rng_double(&rng) < intern_rate) {
            gcb_object_t *names = gcb_local(f, L_NAMES);
            uint64_t j = gcb_rng_below(&rng, n_names);
            if (gcb_rng_double(&rng) < intern_hit) {
                gcb_object_t *name = gcb_list_get(names, j);
                gcb_object_t *k = gcb_str_intern(gcb_str_new(gcb_str_data(name), gcb_str_len(name)));
                hits += k == name;            /* `k is names[j]`: the canonical string */
                gcb_local_set(f, L_K, k);
            } else {
                char key[32];
                int kl = snprintf(key, sizeof key, "key%llu", (unsigned long long)i);
                gcb_object_t *k = gcb_str_intern(gcb_str_new(key, (size_t)kl));
                gcb_local_set(f, L_K, k);
                gcb_list_set(names, j, gcb_newref(k));
            }
            ops++;
        }
        gcb_safepoint();
    }

    /* checksum the survivors: the window, the names, the interning hits */
    gcb_object_t *window = gcb_local(f, L_WINDOW), *names = gcb_local(f, L_NAMES);
    for (size_t j = 0; j < gcb_list_len(window); j++)
        h = gcb_wl_hash(h, gcb_list_get(window, j), 0);
    for (size_t j = 0; j < gcb_list_len(names); j++) {
        gcb_object_t *name = gcb_list_get(names, j);
        h = gcb_wl_hash(h, name, 0);
        h = gcb_mix(h, gcb_str_is_interned(name));
    }
    h = gcb_mix(h, hits);
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_strings = {
    .name = "strings",
    .description = "str concatenation, slicing and sys.intern (hit rate) with sizes up to several KiB",
    .ops_unit = "strings created",
    .params = strings_params,
    .run = strings_run,
};
