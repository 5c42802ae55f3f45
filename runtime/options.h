/*
 * runtime/options.h - the runtime's own `-p` parameters: which CPython
 * object layouts and caches the model reproduces.
 *
 * Why a table of its own.  Collectors and workloads each declare their
 * parameters (util/params.h); the object model has choices too that
 * change what reaches the allocator (how many blocks an instance takes,
 * whether a float comes from a free list), and a run must say which it
 * used.  The host validates the user's -p keys against this table together
 * with the workload's and the collector's, calls gcb_runtime_configure()
 * before gcb_runtime_init(), and writes every row's effective value into
 * the record.  Tests call gcb_runtime_configure() with their own params
 * (NULL: every default).
 *
 * The configuration is fixed for a runtime's lifetime: classes and free
 * lists are built for one layout, so gcb_runtime_configure() between
 * gcb_runtime_init() and gcb_runtime_fini() is refused (aborts), and
 * gcb_runtime_fini() puts every default back.
 */
#ifndef GCB_RUNTIME_OPTIONS_H
#define GCB_RUNTIME_OPTIONS_H

#include <stddef.h>

#include "util/params.h"

/* How a class instance is laid out (docs/workloads.md, "Instances"). */
typedef enum {
    GCB_LAYOUT_313 = 0,     /* 3.13, 3.14: one block, values inline in the object */
    GCB_LAYOUT_312 = 1,     /* 3.12: 48-byte object + a values block */
    GCB_LAYOUT_311 = 2,     /* 3.11: 56-byte object + a values block */
    GCB_LAYOUT_COMBINED = 3 /* <= 3.10: 48-byte object + a __dict__ + its keys table */
} gcb_instance_layout_t;

/* Which object free lists sit in front of the allocator
 * (runtime/freelist.c). */
typedef enum { GCB_FREELISTS_CPYTHON = 0, GCB_FREELISTS_NONE = 1 } gcb_freelists_t;

typedef struct gcb_runtime_options {
    gcb_instance_layout_t instance_layout;
    gcb_freelists_t freelists;
    uint64_t garbage_every;   /* 0: no outstanding-garbage sampling */
    uint64_t interp_heap;     /* tracked objects standing for the interpreter's heap (0: none) */
} gcb_runtime_options_t;

/* The rows: instance_layout, freelists, garbage_every, interp_heap. */
extern const gcb_param_def_t gcb_runtime_params[];

/* Read the runtime's rows of `p` (validated before, against a table list
 * that includes gcb_runtime_params; NULL: defaults) for the next
 * gcb_runtime_init().  0, or -1 with a one-line message. */
int gcb_runtime_configure(const gcb_params_t *p, char *err, size_t errlen);

/* The configuration in effect (or the next runtime's, before init). */
const gcb_runtime_options_t *gcb_runtime_options(void);

#endif
