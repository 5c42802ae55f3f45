/*
 * workloads/dicts.c - dict churn: inserts, updates and deletes that drive
 * the table through its resizes, a dict of lists, and instance __dict__s
 * (the seed notes' "dictionaries are mutable, changed in place").
 *
 *     class Record: pass
 *     keys = ["key%d" % k if k % 3 else 1000 + 7919 * k for k in range(n_keys)]
 *     d, groups = {}, {}
 *     records = [None] * n_records
 *     for i in range(n):
 *         k = keys[randrange(n_keys)]
 *         if random() < delete_rate: d.pop(k, None)     # leaves a dummy slot
 *         elif k in d: d[k] = d[k] + 1                  # update: a new int
 *         else: d[k] = 1000 + i                         # insert: may resize
 *         g = groups.setdefault(randrange(n_groups), [])  # a dict of lists
 *         g.append(1000 + i)
 *         if len(g) >= group_max: del groups[...]       # the whole list dies
 *         if i % record_every == 0:
 *             o = Record()                              # instance + __dict__
 *             for a in range(attrs): setattr(o, "a%d" % a, 1000 + i + a)
 *             records[randrange(n_records)] = o         # the one replaced dies
 *         if i % reset_every == reset_every - 1:
 *             d = {}                                    # grows through every size again
 *
 * Dict tables follow CPython's sizes (runtime/dict.c): 8 slots up, growth
 * to the power of two >= 3 x used, deletes leave dummies that a later
 * rebuild drops; tables above 512 bytes (about 16 entries) leave pymalloc.
 * `ops` counts dict operations (d's get/set/delete, the groups'
 * setdefault, each attribute set).
 */
#include "workloads/workload.h"

#include <stdio.h>

#include "runtime/runtime.h"
#include "util/rng.h"
#include "workloads/common.h"

static const gcb_param_def_t dicts_params[] = {
    { "scale", GCB_PARAM_DOUBLE, "1", 0.001, 1e6, "size multiplier: 500,000 x scale iterations" },
    { "keys", GCB_PARAM_INT, "4096", 1, 1 << 26, "key space of d (a third int keys, the rest str)" },
    { "delete_rate", GCB_PARAM_DOUBLE, "0.3", 0, 1, "fraction of d operations that delete" },
    { "reset_every", GCB_PARAM_INT, "100000", 1, 1e12, "rebind d = {} every N iterations" },
    { "groups", GCB_PARAM_INT, "256", 1, 1 << 24, "keys of the dict of lists" },
    { "group_max", GCB_PARAM_INT, "64", 1, 1 << 24, "a group list is deleted when it reaches this length" },
    { "record_every", GCB_PARAM_INT, "4", 1, 1e9, "make a Record instance every N iterations" },
    { "records", GCB_PARAM_INT, "1024", 1, 1 << 24, "Record instances kept alive" },
    { "attrs", GCB_PARAM_INT, "6", 0, 64, "attributes set on each Record" },
    GCB_PARAM_END
};

enum { L_KEYS, L_D, L_GROUPS, L_RECORDS, L_O, L_G, NLOCALS };

static int dicts_run(const gcb_params_t *p, uint64_t seed, gcb_workload_result_t *out,
                     char *err, size_t errlen)
{
    (void)err; (void)errlen;
    const uint64_t n = (uint64_t)(500000.0 * gcb_param_double(p, dicts_params, "scale"));
    const uint64_t n_keys = (uint64_t)gcb_param_int(p, dicts_params, "keys");
    const double delete_rate = gcb_param_double(p, dicts_params, "delete_rate");
    const uint64_t reset_every = (uint64_t)gcb_param_int(p, dicts_params, "reset_every");
    const uint64_t n_groups = (uint64_t)gcb_param_int(p, dicts_params, "groups");
    const uint64_t group_max = (uint64_t)gcb_param_int(p, dicts_params, "group_max");
    const uint64_t record_every = (uint64_t)gcb_param_int(p, dicts_params, "record_every");
    const uint64_t n_records = (uint64_t)gcb_param_int(p, dicts_params, "records");
    const int attrs = (int)gcb_param_int(p, dicts_params, "attrs");

    gcb_object_t *cls = gcb_class_new("Record");
    gcb_object_t *names[64];
    for (int a = 0; a < attrs; a++) {
        char name[8];
        snprintf(name, sizeof name, "a%d", a);
        names[a] = gcb_str_const(name);
    }

    gcb_rng_t rng;
    gcb_rng_seed(&rng, seed);
    gcb_frame_t *f = gcb_frame_push(NLOCALS);
    uint64_t ops = 0, h = 0;

    gcb_local_set(f, L_KEYS, gcb_list_new(0));
    for (uint64_t k = 0; k < n_keys; k++) {
        gcb_object_t *key;
        if (k % 3 == 0) {
            key = gcb_int_new(1000 + 7919 * (int64_t)k);
        } else {
            char buf[32];
            int len = snprintf(buf, sizeof buf, "key%llu", (unsigned long long)k);
            key = gcb_str_new(buf, (size_t)len);
        }
        gcb_list_append(gcb_local(f, L_KEYS), key);
    }
    gcb_local_set(f, L_D, gcb_dict_new());
    gcb_local_set(f, L_GROUPS, gcb_dict_new());
    gcb_local_set(f, L_RECORDS, gcb_list_new(n_records));
    gcb_safepoint();

    for (uint64_t i = 0; i < n; i++) {
        gcb_object_t *d = gcb_local(f, L_D);
        gcb_object_t *k = gcb_list_get(gcb_local(f, L_KEYS), gcb_rng_below(&rng, n_keys));
        if (gcb_rng_double(&rng) < delete_rate) {
            h = gcb_mix(h, gcb_dict_del(d, k));
        } else {
            gcb_object_t *v = gcb_dict_get(d, k);
            int64_t nv = v ? gcb_int_value(v) + 1 : 1000 + (int64_t)i;
            gcb_dict_set(d, gcb_newref(k), gcb_int_new(nv));
        }
        ops++;

        gcb_object_t *groups = gcb_local(f, L_GROUPS);
        gcb_local_set(f, L_G, gcb_int_new((int64_t)gcb_rng_below(&rng, n_groups)));
        gcb_object_t *gk = gcb_local(f, L_G);
        gcb_object_t *g = gcb_dict_get(groups, gk);
        if (!g) {
            g = gcb_list_new(0);
            gcb_dict_set(groups, gcb_newref(gk), g);
        }
        gcb_list_append(g, gcb_int_new(1000 + (int64_t)i));
        if (gcb_list_len(g) >= group_max) {
            h = gcb_wl_hash(h, g, 1);
            gcb_dict_del(groups, gk);
        }
        ops++;

        if (i % record_every == 0) {
            gcb_local_set(f, L_O, gcb_instance_new(cls));
            gcb_object_t *o = gcb_local(f, L_O);
            for (int a = 0; a < attrs; a++)
                gcb_setattr(o, names[a], gcb_int_new(1000 + (int64_t)i + a));
            gcb_list_set(gcb_local(f, L_RECORDS), gcb_rng_below(&rng, n_records), gcb_newref(o));
            ops += (uint64_t)attrs;
        }

        if (i % reset_every == reset_every - 1) {
            h = gcb_mix(h, gcb_dict_len(d));
            gcb_local_set(f, L_D, gcb_dict_new());
        }
        gcb_safepoint();
    }

    /* checksum: d, the groups and the records, in their (insertion) order */
    h = gcb_wl_hash(h, gcb_local(f, L_D), 1);
    h = gcb_wl_hash(h, gcb_local(f, L_GROUPS), 2);
    h = gcb_wl_hash(h, gcb_local(f, L_RECORDS), 3);
    gcb_frame_pop(f);
    out->ops = ops;
    out->checksum = h;
    out->cyclic_garbage_objects = 0;
    return 0;
}

const gcb_workload_t gcb_workload_dicts = {
    .name = "dicts",
    .description = "dict insert/update/delete churn through resizes, a dict of lists, instance __dict__s",
    .ops_unit = "dict operations",
    .params = dicts_params,
    .run = dicts_run,
};
