/*
 * tests/test_runtime.c - the object model: immortality, interning, list
 * growth, dict resizing, exact counters, flattened deallocation; and the
 * policy interface (runtime/policy.h) kept by hand-written policies, with
 * no collector linked in: which hooks the runtime calls, gcb_gc_collect(),
 * and the refusal of a policy without the one-thread mode.
 * Usage: test_runtime [ALLOCATOR]   (glibc or pool; default glibc)
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "allocators/allocator.h"
#include "runtime/host.h"
#include "tests/check.h"

/* Pure reference counting, written as a policy: count everything, free at
 * zero (on_zero NULL is gcb_dealloc), no collection. */
static const gcb_policy_t refcounting = { .mode = GCB_COUNT_ALL, .threads = GCB_THREADS_ONE };

static const gcb_rt_counters_t *C;

static void test_small_ints(void)
{
    gcb_object_t *three = gcb_int_new(3);
    int64_t before = three->refcnt;
    CHECK(gcb_is_immortal(three));
    for (int i = 0; i < 1000000; i++) {
        gcb_object_t *r = gcb_newref(three);
        gcb_release(r);
        gcb__heap_newref(three);
        gcb__heap_release(three);
    }
    CHECK_EQ_I(three->refcnt, before);
    CHECK(gcb_int_new(3) == three);              /* the same singleton */
    CHECK(gcb_int_new(-5) == gcb_int_new(-5));
    CHECK(gcb_int_new(256) == gcb_int_new(256));
    uint64_t live = C->live_objects;
    gcb_object_t *big = gcb_int_new(257);
    CHECK(!gcb_is_immortal(big));
    CHECK_EQ_U(C->live_objects, live + 1);
    gcb_object_t *big2 = gcb_int_new(257);
    CHECK(big2 != big);                           /* not cached */
    gcb_object_t *neg = gcb_int_new(-6);
    CHECK(!gcb_is_immortal(neg));
    gcb_release(big);
    gcb_release(big2);
    gcb_release(neg);
    CHECK_EQ_U(C->live_objects, live);
}

static void test_interning(void)
{
    uint64_t live = C->live_objects;
    size_t interned = gcb_interned_count();
    gcb_object_t *a = gcb_str_intern(gcb_str_new("hello", 5));
    gcb_object_t *b = gcb_str_intern(gcb_str_new("hello", 5));
    CHECK(a == b);                                /* one canonical string */
    CHECK(gcb_str_is_interned(a));
    CHECK_EQ_U(gcb_interned_count(), interned + 1);
    CHECK_EQ_I(a->refcnt, 2);
    CHECK_EQ_U(C->live_objects, live + 1);
    gcb_object_t *c = gcb_str_new("hello", 5);
    CHECK(c != a && gcb_equal(c, a) && !gcb_str_is_interned(c));
    gcb_release(c);
    gcb_release(a);
    gcb_release(b);
    CHECK_EQ_U(gcb_interned_count(), interned);   /* a dead string leaves the table */
    CHECK_EQ_U(C->live_objects, live);
    /* constants are immortal and canonical */
    gcb_object_t *k1 = gcb_str_const("attr"), *k2 = gcb_str_const("attr");
    CHECK(k1 == k2 && gcb_is_immortal(k1));
    gcb_object_t *k3 = gcb_str_intern(gcb_str_new("attr", 4));
    CHECK(k3 == k1);
    CHECK_EQ_U(C->live_objects, live);
    /* slicing and concatenation */
    gcb_object_t *s = gcb_str_new("abcdef", 6);
    gcb_object_t *t = gcb_str_slice(s, 1, -1);
    CHECK(gcb_str_len(t) == 4 && memcmp(gcb_str_data(t), "bcde", 4) == 0);
    gcb_object_t *u = gcb_str_concat(s, t);
    CHECK(gcb_str_len(u) == 10 && strcmp(gcb_str_data(u), "abcdefbcde") == 0);
    gcb_object_t *whole = gcb_str_slice(s, 0, 100);
    CHECK(whole == s);
    gcb_release(whole);
    gcb_release(s);
    gcb_release(t);
    gcb_release(u);
    CHECK_EQ_U(C->live_objects, live);
}

static void test_list_growth(void)
{
    /* CPython 3.12: capacities seen while appending to [] */
    static const size_t expect[] = { 4, 4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16,
                                     24, 24, 24, 24, 24, 24, 24, 24, 32 };
    gcb_object_t *l = gcb_list_new(0);
    CHECK_EQ_U(gcb_list_allocated(l), 0);
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        gcb_list_append(l, gcb_int_new((int64_t)i));
        CHECK_EQ_U(gcb_list_allocated(l), expect[i]);
    }
    size_t cap = gcb_list_allocated(l);
    for (size_t i = 25; i < 1000; i++) {
        gcb_list_append(l, gcb_int_new((int64_t)i));
        size_t now = gcb_list_allocated(l);
        if (now != cap) {
            size_t n = i + 1;
            CHECK_EQ_U(now, (n + (n >> 3) + 6) & ~(size_t)3);
            cap = now;
        }
    }
    CHECK_EQ_U(gcb_list_len(l), 1000);
    for (size_t i = 0; i < 1000; i++)
        CHECK_EQ_I(gcb_int_value(gcb_list_get(l, i)), (int64_t)i);
    gcb_object_t *s = gcb_list_slice(l, 10, 20);
    CHECK_EQ_U(gcb_list_len(s), 10);
    CHECK_EQ_I(gcb_int_value(gcb_list_get(s, 0)), 10);
    /* popping shrinks once less than half is used */
    for (int i = 0; i < 990; i++)
        gcb_release(gcb_list_pop(l));
    CHECK_EQ_U(gcb_list_len(l), 10);
    CHECK(gcb_list_allocated(l) < 40);
    gcb_release(l);
    gcb_release(s);
}

static void test_dict(void)
{
    uint64_t live = C->live_objects;
    gcb_object_t *d = gcb_dict_new();
    CHECK_EQ_U(gcb_dict_capacity(d), 0);
    /* size 8 holds 5 entries; the 6th resizes to 16 (3*5 = 15 -> 16) */
    for (int64_t i = 0; i < 5; i++)
        gcb_dict_set(d, gcb_int_new(1000 + i), gcb_int_new(i));
    CHECK_EQ_U(gcb_dict_capacity(d), 8);
    gcb_dict_set(d, gcb_int_new(1005), gcb_int_new(5));
    CHECK_EQ_U(gcb_dict_capacity(d), 16);
    /* a random workout against a plain array model */
    enum { N = 4000 };
    static int64_t model[N];
    for (int i = 0; i < N; i++)
        model[i] = -1;
    gcb_dict_clear(d);
    uint64_t x = 88172645463325252ull;
    for (int step = 0; step < 200000; step++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        int k = (int)(x % N);
        gcb_object_t *key = (x >> 20) & 1 ? gcb_int_new(k + 300)
                                          : gcb_str_new((char[]){ (char)('a' + k % 26), (char)('0' + k / 26 % 10), (char)('0' + k / 260) }, 3);
        /* keys are unique per k because int keys are k+300 and str keys encode k;
         * to keep one key per k, choose the type from k itself */
        gcb_release(key);
        key = (k & 1) ? gcb_int_new(k + 300)
                      : gcb_str_new((char[]){ (char)('a' + k % 26), (char)('0' + k / 26 % 10), (char)('0' + k / 260) }, 3);
        switch ((x >> 32) % 3) {
        case 0:
        case 1:
            gcb_dict_set(d, key, gcb_int_new(step));
            model[k] = step;
            break;
        case 2:
            CHECK(gcb_dict_del(d, key) == (model[k] >= 0));
            model[k] = -1;
            gcb_release(key);
            break;
        }
    }
    size_t n = 0;
    for (int k = 0; k < N; k++) {
        gcb_object_t *key = (k & 1) ? gcb_int_new(k + 300)
                                    : gcb_str_new((char[]){ (char)('a' + k % 26), (char)('0' + k / 26 % 10), (char)('0' + k / 260) }, 3);
        gcb_object_t *v = gcb_dict_get(d, key);
        if (model[k] >= 0) {
            n++;
            CHECK(v && gcb_int_value(v) == model[k]);
        } else {
            CHECK(v == NULL);
        }
        gcb_release(key);
    }
    CHECK_EQ_U(gcb_dict_len(d), n);
    size_t pos = 0, seen = 0;
    gcb_object_t *k, *v;
    while (gcb_dict_next(d, &pos, &k, &v))
        seen++;
    CHECK_EQ_U(seen, n);
    /* float/int key equality: d[1.0] finds d[1] */
    gcb_dict_set(d, gcb_int_new(7), gcb_int_new(70));
    gcb_object_t *f = gcb_float_new(7.0);
    CHECK(gcb_dict_get(d, f) && gcb_int_value(gcb_dict_get(d, f)) == 70);
    gcb_release(f);
    gcb_release(d);
    CHECK_EQ_U(C->live_objects, live);
}

static void test_counters_and_sizes(void)
{
    uint64_t live = C->live_bytes, objs = C->live_objects;
    gcb_object_t *i = gcb_int_new(1 << 20);
    CHECK_EQ_U(C->live_bytes - live, 32);
    gcb_object_t *fl = gcb_float_new(1.5);
    CHECK_EQ_U(C->live_bytes - live, 32 + 24);
    gcb_object_t *l = gcb_list_new(0);
    CHECK_EQ_U(C->live_bytes - live, 32 + 24 + 56);
    gcb_list_append(l, i);        /* consumes i */
    CHECK_EQ_U(C->live_bytes - live, 32 + 24 + 56 + 4 * 8);
    gcb_object_t *t = gcb_tuple_new(3);
    CHECK_EQ_U(C->live_bytes - live, 32 + 24 + 56 + 32 + 40 + 24);
    gcb_object_t *s = gcb_str_new("xyz", 3);
    CHECK_EQ_U(C->live_bytes - live, 32 + 24 + 56 + 32 + 64 + 44);
    CHECK_EQ_U(C->live_objects - objs, 5);
    gcb_tuple_init(t, 0, fl);
    gcb_tuple_init(t, 1, s);
    gcb_tuple_init(t, 2, l);
    gcb_release(t);               /* frees everything through the tuple */
    CHECK_EQ_U(C->live_bytes, live);
    CHECK_EQ_U(C->live_objects, objs);
    gcb_object_t *cls = gcb_class_new("K");
    gcb_object_t *o = gcb_instance_new(cls);
    /* the default layout, 3.13: one block, 30 - 1 inline slots for a new
     * class's first instance (tests/test_instances.c has every layout) */
    CHECK_EQ_U(C->live_bytes - live, 48 + 32 + 8 + 29 * 8);
    CHECK(gcb_instance_class(o) == cls);
    CHECK(gcb_is_instance(o));
    gcb_setattr(o, gcb_str_const("x"), gcb_int_new(5));
    CHECK(gcb_int_value(gcb_getattr(o, gcb_str_const("x"))) == 5);
    gcb_release(o);
    CHECK_EQ_U(C->live_bytes, live);
    C = gcb_runtime_counters();
    CHECK_EQ_U(C->objects_allocated - C->objects_freed, C->live_objects + C->immortal_objects);
    CHECK_EQ_U(C->bytes_allocated - C->bytes_freed, C->live_bytes + C->immortal_bytes);
}

static void test_deep_chain(void)
{
    /* a million nested lists: freeing the head must not recurse */
    uint64_t objs = C->live_objects;
    gcb_object_t *head = gcb_list_new(0);
    gcb_object_t *cur = head;
    for (int i = 0; i < 1000000; i++) {
        gcb_object_t *next = gcb_list_new(0);
        gcb_list_append(cur, next);   /* the heap reference keeps it */
        cur = next;
    }
    CHECK_EQ_U(C->live_objects - objs, 1000001);
    gcb_release(head);
    CHECK_EQ_U(C->live_objects, objs);
}

static void test_frames(void)
{
    uint64_t objs = C->live_objects;
    gcb_frame_t *f = gcb_frame_push(2);
    CHECK(gcb_local(f, 0) == gcb_None);
    gcb_local_set(f, 0, gcb_list_new(0));
    gcb_local_set(f, 1, gcb_newref(gcb_local(f, 0)));       /* alias: b = a */
    CHECK(gcb_local(f, 0) == gcb_local(f, 1));
    CHECK_EQ_I(gcb_local(f, 0)->refcnt, 2);
    gcb_local_set(f, 0, gcb_list_new(0));                   /* rebind a: b keeps the old list */
    CHECK_EQ_I(gcb_local(f, 1)->refcnt, 1);
    CHECK_EQ_U(C->live_objects - objs, 2);
    gcb_frame_pop(f);
    CHECK_EQ_U(C->live_objects, objs);
    CHECK(gcb_hot.top == NULL);
}

/* --- the policy interface ------------------------------------------------ */

static struct { uint64_t alloc, free, collect, safepoint; } seen;
static void count_alloc(gcb_object_t *o) { (void)o; seen.alloc++; }
static void count_free(gcb_object_t *o) { (void)o; seen.free++; }
static void count_collect(void) { seen.collect++; }
static void count_safepoint(void) { seen.safepoint++; }

/* containers_only: on_alloc/on_free for containers alone; safepoint() only
 * when pending was set, which the runtime clears; gcb_gc_collect() is the
 * policy's collect_full, and a policy without one makes it do nothing. */
static void test_policy_hooks(const gcb_allocator_t *a, void *actx)
{
    gcb_policy_t p = { .mode = GCB_COUNT_ALL, .containers_only = 1, .threads = GCB_THREADS_ONE,
                       .on_alloc = count_alloc, .on_free = count_free,
                       .safepoint = count_safepoint, .collect_full = count_collect };
    gcb_runtime_init(a, actx, &p);
    p.on_alloc = NULL; /* the runtime kept its own copy */
    memset(&seen, 0, sizeof seen);
    gcb_frame_t *f = gcb_frame_push(2);
    gcb_local_set(f, 0, gcb_list_new(3));
    gcb_local_set(f, 1, gcb_float_new(1.5));
    CHECK_EQ_U(seen.alloc, 1);                      /* the list, not the float */
    gcb_safepoint();
    CHECK_EQ_U(seen.safepoint, 0);
    gcb_hot.pending = 1;
    gcb_safepoint();
    CHECK_EQ_U(seen.safepoint, 1);
    CHECK_EQ_I(gcb_hot.pending, 0);
    gcb_gc_collect();
    CHECK_EQ_U(seen.collect, 1);
    gcb_frame_pop(f);
    CHECK_EQ_U(seen.free, 1);
    gcb_runtime_fini();

    gcb_runtime_init(a, actx, &refcounting);
    gcb_gc_collect();                               /* no collect_full: nothing */
    CHECK_EQ_U(seen.collect, 1);
    gcb_runtime_fini();
}

/* A policy that does not list GCB_THREADS_ONE is refused (abort). */
static void test_policy_threads(const gcb_allocator_t *a, void *actx)
{
    gcb_policy_t p = refcounting;
    p.threads = 0;
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        gcb_runtime_init(a, actx, &p);
        _exit(0);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

int main(int argc, char **argv)
{
    char err[512];
    gcb_alloc_choice_t choice;
    const char *spec = argc > 1 ? argv[1] : "glibc";
    if (gcb_alloc_parse(spec, &choice, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (gcb_preload_ensure(&choice, argv, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    void *actx = gcb_alloc_instance(&choice, err, sizeof err);
    CHECK(actx != NULL);
    test_policy_hooks(choice.top, actx);
    test_policy_threads(choice.top, actx);
    gcb_runtime_init(choice.top, actx, &refcounting);
    C = gcb_runtime_counters();
    CHECK_EQ_U(C->live_objects, 0);
    CHECK_EQ_U(C->immortal_objects, 1 + 262);       /* None and the small ints */

    test_small_ints();
    test_interning();
    test_list_growth();
    test_dict();
    test_counters_and_sizes();
    test_deep_chain();
    test_frames();
    CHECK_EQ_U(C->live_objects, 0);
    CHECK_EQ_U(C->live_bytes, 0);

    /* teardown frees the immortals and nothing else is outstanding: every
     * byte and object ever allocated has been freed once */
    C = gcb_runtime_counters();
    uint64_t allocated = C->bytes_allocated, objects = C->objects_allocated;
    CHECK(C->immortal_bytes > 0);
    gcb_runtime_fini();
    CHECK_EQ_U(C->immortal_bytes, 0);
    CHECK_EQ_U(C->bytes_freed, allocated);
    CHECK_EQ_U(C->objects_freed, objects);
    choice.top->destroy(actx);
    return gcb_check_exit("test_runtime");
}
