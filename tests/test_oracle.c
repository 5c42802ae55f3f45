/*
 * tests/test_oracle.c - the oracle catches what it must: a freed object
 * still referenced (dangling, poisoned), a wrong count, a type pointer
 * that is no object type, cyclic garbage
 * under rc told apart from acyclic garbage, and a clean heap after gen's
 * full collection.  An oracle that never fails proves nothing.
 */
#include <string.h>

#include "runtime/debug.h"
#include "collectors/collector.h"
#include "runtime/host.h"
#include "tests/check.h"
#include "tests/oracle.h"

static const gcb_collector_t *up_coll;

static void *up(const char *coll)
{
    char err[256];
    const gcb_collector_t *c = up_coll = gcb_collector_find(coll);
    gcb_params_t p;
    memset(&p, 0, sizeof p);
    CHECK(c->init(&p, err, sizeof err) == 0);
    void *actx = gcb_alloc_process.create(NULL, NULL, err, sizeof err);
    gcb_policy_t policy_ = gcb_collector_policy(c);
    gcb_runtime_init(&gcb_alloc_process, actx, &policy_);
    return actx;
}

static void down(void *actx)
{
    const gcb_collector_t *c = up_coll;
    if (c->fini)
        c->fini();
    gcb_runtime_fini();
    gcb_alloc_process.destroy(actx);
}

int main(void)
{
    CHECK(gcb_debug_available());
    gcb_oracle_t o;

    /* rc: a clean heap, then a cycle dropped (cyclic garbage), then
     * garbage held by nothing but a dropped cycle (still cyclic: it hangs
     * off one) */
    void *a = up("rc");
    gcb_frame_t *f = gcb_frame_push(4);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_list_append(gcb_local(f, 0), gcb_int_new(12345));
    CHECK(gcb_oracle_scan(&o) == 0);
    CHECK_EQ_U(o.live, 2);
    CHECK_EQ_U(o.reachable, 2);
    CHECK_EQ_U(o.garbage, 0);

    gcb_object_t *x = gcb_list_new(0), *y = gcb_dict_new();
    gcb_local_set(f, 1, x);
    gcb_local_set(f, 2, y);
    gcb_list_append(x, gcb_newref(y));
    gcb_dict_set(y, gcb_int_new(1), gcb_newref(x));
    gcb_dict_set(y, gcb_int_new(2), gcb_float_new(2.5)); /* hangs off the cycle */
    gcb_local_set(f, 1, gcb_None);
    gcb_local_set(f, 2, gcb_None);
    CHECK(gcb_oracle_check_collected(0, "rc", &o) == 0);
    CHECK_EQ_U(o.garbage, 3);
    CHECK_EQ_U(o.cyclic_garbage, 3);
    CHECK(gcb_oracle_check_collected(1, "rc as if complete", &o) != 0);

    /* a wrong count is caught */
    gcb_object_t *l = gcb_local(f, 0);
    l->refcnt++;
    CHECK(gcb_oracle_scan(&o) != 0);
    CHECK_EQ_U(o.bad_counts, 1);
    l->refcnt--;

    /* a type pointer overwritten with something that is no object type is
     * caught, and an instance's type (embedded in its class) is not */
    gcb_object_t *inst = gcb_instance_new(gcb_class_new("C"));
    gcb_list_append(l, inst);
    CHECK(gcb_oracle_scan(&o) == 0);
    gcb_object_t *lf = gcb_list_get(l, 0);  /* the int 12345 */
    const gcb_type_t *saved = lf->type;
    static const gcb_type_t impostor = { .name = "impostor", .basicsize = sizeof(gcb_object_t) };
    lf->type = &impostor;
    CHECK(gcb_oracle_scan(&o) != 0);
    CHECK_EQ_U(o.bad_types, 1);
    lf->type = saved;
    CHECK(gcb_oracle_scan(&o) == 0);
    gcb_release(gcb_list_pop(l));

    /* acyclic garbage is not cyclic: an object whose count is 0 but not
     * freed (a deferred free) counts as garbage and not as cyclic */
    gcb_object_t *lonely = gcb_list_new(0);
    lonely->refcnt = 0; /* pretend a lazy collector holds it for later */
    CHECK(gcb_oracle_check_collected(0, "rc", &o) != 0);
    CHECK_EQ_U(o.garbage, 4);
    CHECK_EQ_U(o.cyclic_garbage, 3);
    lonely->refcnt = 1;
    gcb_release(lonely);

    /* a freed object still referenced: dangling and poisoned */
    gcb_object_t *inner = gcb_list_new(0);
    gcb_list_append(l, inner);   /* l -> inner, count 1 */
    inner->refcnt = 0;
    gcb_dealloc(inner);          /* freed behind the list's back */
    CHECK(gcb_oracle_scan(&o) != 0);
    CHECK_EQ_U(o.dangling, 1);
#if !defined(__SANITIZE_ADDRESS__) /* the oracle does not read freed memory under ASan */
    CHECK_EQ_U(o.poisoned, 1);
#endif
    /* repair: drop the dangling slot without touching it */
    {
        /* overwrite the slot with None by hand: list_set would decref the freed item */
        gcb_object_t **items = *(gcb_object_t ***)((char *)l + sizeof(gcb_object_t) + sizeof(int64_t));
        items[1] = gcb_None;
    }
    CHECK(gcb_oracle_scan(&o) == 0);
    gcb_frame_pop(f);
    CHECK(gcb_oracle_check_collected(0, "rc", &o) == 0);
    CHECK_EQ_U(o.reachable, 0);
    CHECK_EQ_U(o.live, 3); /* the dropped cycle */
    down(a);

    /* gen: the same cycle is collected */
    a = up("gen");
    f = gcb_frame_push(4);
    x = gcb_list_new(0);
    y = gcb_dict_new();
    gcb_local_set(f, 1, x);
    gcb_local_set(f, 2, y);
    gcb_list_append(x, gcb_newref(y));
    gcb_dict_set(y, gcb_int_new(1), gcb_newref(x));
    gcb_dict_set(y, gcb_int_new(2), gcb_float_new(2.5));
    gcb_local_set(f, 1, gcb_None);
    gcb_local_set(f, 2, gcb_None);
    CHECK(gcb_oracle_check_collected(1, "gen before collecting", &o) != 0);
    gcb_gc_collect();
    CHECK(gcb_oracle_check_collected(1, "gen", &o) == 0);
    CHECK_EQ_U(o.live, 0);
    gcb_frame_pop(f);
    down(a);
    return gcb_check_exit("test_oracle");
}
