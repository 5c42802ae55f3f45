/*
 * workloads/common.c - Python equality and content checksums (see common.h).
 */
#include "workloads/common.h"

#include <string.h>

static bool is_list(const gcb_object_t *o) { return o->type == &gcb_list_type; }
static bool is_tuple(const gcb_object_t *o) { return o->type == &gcb_tuple_type; }
static bool is_dict(const gcb_object_t *o) { return o->type == &gcb_dict_type; }

bool gcb_wl_equal(gcb_object_t *a, gcb_object_t *b)
{
    if (a == b)
        return true;
    if (is_list(a) && is_list(b)) {
        size_t n = gcb_list_len(a);
        if (n != gcb_list_len(b))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!gcb_wl_equal(gcb_list_get(a, i), gcb_list_get(b, i)))
                return false;
        return true;
    }
    if (is_tuple(a) && is_tuple(b)) {
        size_t n = gcb_tuple_len(a);
        if (n != gcb_tuple_len(b))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!gcb_wl_equal(gcb_tuple_get(a, i), gcb_tuple_get(b, i)))
                return false;
        return true;
    }
    if (is_dict(a) && is_dict(b)) {
        if (gcb_dict_len(a) != gcb_dict_len(b))
            return false;
        size_t pos = 0;
        gcb_object_t *k, *v;
        while (gcb_dict_next(a, &pos, &k, &v)) {
            gcb_object_t *w = gcb_dict_get(b, k);
            if (!w || !gcb_wl_equal(v, w))
                return false;
        }
        return true;
    }
    return gcb_equal(a, b);
}

uint64_t gcb_wl_hash(uint64_t h, gcb_object_t *o, int depth)
{
    if (o == gcb_None)
        return gcb_mix(h, 0x4e6f6e65);
    if (gcb_is_int(o))
        return gcb_mix(gcb_mix(h, 1), (uint64_t)gcb_int_value(o));
    if (o->type == &gcb_float_type) {
        double d = gcb_float_value(o);
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return gcb_mix(gcb_mix(h, 2), bits);
    }
    if (o->type == &gcb_str_type)
        return gcb_mix(gcb_mix(h, 3 + gcb_str_len(o)), gcb_str_hash(o));
    if (is_list(o) || is_tuple(o)) {
        size_t n = is_list(o) ? gcb_list_len(o) : gcb_tuple_len(o);
        h = gcb_mix(gcb_mix(h, is_list(o) ? 4 : 5), n);
        if (depth > 0)
            for (size_t i = 0; i < n; i++)
                h = gcb_wl_hash(h, is_list(o) ? gcb_list_get(o, i) : gcb_tuple_get(o, i), depth - 1);
        return h;
    }
    if (is_dict(o)) {
        h = gcb_mix(gcb_mix(h, 6), gcb_dict_len(o));
        if (depth > 0) {
            size_t pos = 0;
            gcb_object_t *k, *v;
            while (gcb_dict_next(o, &pos, &k, &v)) {
                h = gcb_wl_hash(h, k, depth - 1);
                h = gcb_wl_hash(h, v, depth - 1);
            }
        }
        return h;
    }
    if (gcb_is_instance(o)) {
        const char *name = gcb_class_name(gcb_instance_class(o));
        h = gcb_mix(gcb_mix(h, 7), strlen(name));
        if (depth == 0)
            return h;
        /* as hashing its __dict__ (depth - 1), without materializing one:
         * the checksum is the same under every instance layout */
        h = gcb_mix(gcb_mix(h, 6), gcb_instance_len(o));
        if (depth > 1) {
            size_t pos = 0;
            gcb_object_t *k, *v;
            while (gcb_instance_next(o, &pos, &k, &v)) {
                h = gcb_wl_hash(h, k, depth - 2);
                h = gcb_wl_hash(h, v, depth - 2);
            }
        }
        return h;
    }
    return gcb_mix(h, 8);
}
