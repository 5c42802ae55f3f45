/*
 * bench/micro/shim.h - Google Benchmark from C.
 *
 * A thin C interface over benchmark::State and benchmark::RegisterBenchmark
 * (shim.cc is the only C++ in the project), so the microbenchmarks are
 * written in C against the same headers as the rest of gcbench, and
 * everything Google Benchmark offers still works: its flags
 * (--benchmark_filter, --benchmark_repetitions, --benchmark_format=json,
 * --benchmark_out, ...), its statistics, its JSON, which its own
 * tools/compare.py reads.  Written for Google Benchmark 1.7.1 (Debian 12):
 * MemoryManager::Stop(Result*), no SkipWithMessage (SkipWithError marks a
 * benchmark that cannot run here), --benchmark_min_time in plain seconds.
 *
 * A benchmark is a C function `void fn(gcb_micro_state_t *st, void *arg)`
 * shaped like Google Benchmark's:
 *
 *     setup...
 *     while (gcb_micro_keep_running_batch(st, 64))
 *         for (int i = 0; i < 64; i++)
 *             the operation;                  // timed
 *     teardown...
 *
 * The state loop is a function call, so a benchmark of a few nanoseconds
 * runs its operation in batches (KeepRunningBatch) to keep the call out of
 * the figure; `loop_overhead` in main.c measures what is left.
 */
#ifndef GCB_MICRO_SHIM_H
#define GCB_MICRO_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gcb_micro_state gcb_micro_state_t; /* a benchmark::State */
typedef struct gcb_micro_bench gcb_micro_bench_t; /* a benchmark::internal::Benchmark */
typedef void (*gcb_micro_fn)(gcb_micro_state_t *st, void *arg);

/* --- registration ------------------------------------------------------ */

/* Register `fn(st, arg)` under `name` (copied); parameters in the name,
 * '/'-separated, as Google Benchmark names them. */
gcb_micro_bench_t *gcb_micro_register(const char *name, gcb_micro_fn fn, void *arg);
/* One run per argument: the name gets "/VALUE"; read it with gcb_micro_range(st, 0). */
void gcb_micro_arg(gcb_micro_bench_t *b, int64_t value);
/* Report times in "ns", "us", "ms" or "s" (default ns). */
void gcb_micro_unit(gcb_micro_bench_t *b, const char *unit);
/* Run exactly n iterations (Iterations(n)) instead of letting Google
 * Benchmark choose. */
void gcb_micro_iterations_fixed(gcb_micro_bench_t *b, int64_t n);

/* --- the state loop ---------------------------------------------------- */

/* True while iterations remain (State::KeepRunning): one iteration. */
int gcb_micro_keep_running(gcb_micro_state_t *st);
/* True while iterations remain, counting n per call (KeepRunningBatch;
 * may overshoot by up to n - 1 iterations, which are counted). */
int gcb_micro_keep_running_batch(gcb_micro_state_t *st, int64_t n);
int64_t gcb_micro_range(const gcb_micro_state_t *st, size_t index);
/* Iterations run so far (after the loop: all of them). */
int64_t gcb_micro_iterations(const gcb_micro_state_t *st);
/* The iterations this run was asked for (State::max_iterations). */
int64_t gcb_micro_max_iterations(const gcb_micro_state_t *st);
/* Stop and restart the clock around untimed work inside the loop. */
void gcb_micro_pause(gcb_micro_state_t *st);
void gcb_micro_resume(gcb_micro_state_t *st);
/* This benchmark cannot run here: reported with the message, as an error,
 * in the console and in the JSON ("error_occurred", "error_message").
 * Call it before the loop and return, or after the loop. */
void gcb_micro_skip_with_error(gcb_micro_state_t *st, const char *message);
void gcb_micro_set_label(gcb_micro_state_t *st, const char *label);
/* items_per_second (SetItemsProcessed) and bytes_per_second. */
void gcb_micro_items_processed(gcb_micro_state_t *st, int64_t n);
void gcb_micro_bytes_processed(gcb_micro_state_t *st, int64_t n);

/* --- counters (benchmark::Counter) ---------------------------------------- */

/* The flags are Google Benchmark's, bit for bit (checked in shim.cc). */
#define GCB_MICRO_DEFAULT 0u
#define GCB_MICRO_RATE (1u << 0)                /* divided by the time: per second */
#define GCB_MICRO_AVG_THREADS (1u << 1)
#define GCB_MICRO_ITERATION_INVARIANT (1u << 2) /* multiplied by the iterations */
#define GCB_MICRO_AVG_ITERATIONS (1u << 3)      /* divided by the iterations: per iteration */
#define GCB_MICRO_INVERT (1u << 31)             /* 1 / value: e.g. seconds per item */
/* RATE | ITERATION_INVARIANT | INVERT with value = items per iteration:
 * seconds per item (the JSON holds seconds; the console prints 12.3n for
 * 12.3 ns). */
#define GCB_MICRO_SECONDS_PER_ITEM (GCB_MICRO_RATE | GCB_MICRO_ITERATION_INVARIANT | GCB_MICRO_INVERT)
void gcb_micro_counter(gcb_micro_state_t *st, const char *name, double value, unsigned flags);

/* --- memory figures (benchmark::MemoryManager) ---------------------------- */

/* Google Benchmark runs each benchmark once more between Start and Stop
 * when a memory manager is registered; Stop fills these.  A field left at
 * GCB_MICRO_UNAVAILABLE is not reported (Google Benchmark's
 * TombstoneValue; 0 for the two it always prints). */
#define GCB_MICRO_UNAVAILABLE INT64_MIN
typedef struct gcb_micro_memory {
    int64_t num_allocs;
    int64_t max_bytes_used;
    int64_t total_allocated_bytes;
    int64_t net_heap_growth;
} gcb_micro_memory_t;
void gcb_micro_memory_manager(void (*start)(void), void (*stop)(gcb_micro_memory_t *out));

/* --- running ------------------------------------------------------------ */

/* A key/value pair in the JSON "context" block (AddCustomContext). */
void gcb_micro_context(const char *key, const char *value);
/* benchmark::Initialize, then run what the flags select, then Shutdown.
 * Returns 0, or 2 when an argument is not a Google Benchmark flag (it is
 * named on stderr). */
int gcb_micro_main(int argc, char **argv);

/* --- keeping the compiler honest ------------------------------------------- */

/* The value escapes: the compiler must compute it (DoNotOptimize). */
static inline void gcb_micro_escape(const void *p) { __asm__ volatile("" : : "g"(p) : "memory"); }
/* Memory may have been read and written: stores before it happen, loads
 * after it reload (ClobberMemory). */
static inline void gcb_micro_clobber(void) { __asm__ volatile("" : : : "memory"); }

#ifdef __cplusplus
}
#endif

#endif
