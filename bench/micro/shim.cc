// bench/micro/shim.cc - the C interface of shim.h over Google Benchmark
// (1.7.1).  The only C++ in gcbench: each function forwards to one call;
// no exception crosses into C (Google Benchmark throws none on these
// paths, and a std::bad_alloc would end the program either way).
#include "bench/micro/shim.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>

static_assert(GCB_MICRO_RATE == benchmark::Counter::kIsRate, "counter flags match Google Benchmark's");
static_assert(GCB_MICRO_AVG_THREADS == benchmark::Counter::kAvgThreads, "counter flags");
static_assert(GCB_MICRO_ITERATION_INVARIANT == benchmark::Counter::kIsIterationInvariant, "counter flags");
static_assert(GCB_MICRO_AVG_ITERATIONS == benchmark::Counter::kAvgIterations, "counter flags");
static_assert(GCB_MICRO_INVERT == static_cast<unsigned>(benchmark::Counter::kInvert), "counter flags");

static benchmark::State &S(gcb_micro_state_t *st) { return *reinterpret_cast<benchmark::State *>(st); }
static const benchmark::State &S(const gcb_micro_state_t *st)
{
    return *reinterpret_cast<const benchmark::State *>(st);
}
static benchmark::internal::Benchmark *B(gcb_micro_bench_t *b)
{
    return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

extern "C" {

gcb_micro_bench_t *gcb_micro_register(const char *name, gcb_micro_fn fn, void *arg)
{
    benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
        name, [fn, arg](benchmark::State &st) { fn(reinterpret_cast<gcb_micro_state_t *>(&st), arg); });
    b->Unit(benchmark::kNanosecond);
    return reinterpret_cast<gcb_micro_bench_t *>(b);
}

void gcb_micro_arg(gcb_micro_bench_t *b, int64_t value) { B(b)->Arg(value); }

void gcb_micro_unit(gcb_micro_bench_t *b, const char *unit)
{
    benchmark::TimeUnit u = benchmark::kNanosecond;
    if (std::strcmp(unit, "us") == 0)
        u = benchmark::kMicrosecond;
    else if (std::strcmp(unit, "ms") == 0)
        u = benchmark::kMillisecond;
    else if (std::strcmp(unit, "s") == 0)
        u = benchmark::kSecond;
    B(b)->Unit(u);
}

void gcb_micro_iterations_fixed(gcb_micro_bench_t *b, int64_t n) { B(b)->Iterations(n); }

int gcb_micro_keep_running(gcb_micro_state_t *st) { return S(st).KeepRunning(); }
int gcb_micro_keep_running_batch(gcb_micro_state_t *st, int64_t n) { return S(st).KeepRunningBatch(n); }
int64_t gcb_micro_range(const gcb_micro_state_t *st, size_t index)
{
    return S(st).range(index);
}
int64_t gcb_micro_iterations(const gcb_micro_state_t *st) { return S(st).iterations(); }
int64_t gcb_micro_max_iterations(const gcb_micro_state_t *st) { return S(st).max_iterations; }
void gcb_micro_pause(gcb_micro_state_t *st) { S(st).PauseTiming(); }
void gcb_micro_resume(gcb_micro_state_t *st) { S(st).ResumeTiming(); }
void gcb_micro_skip_with_error(gcb_micro_state_t *st, const char *message) { S(st).SkipWithError(message); }
void gcb_micro_set_label(gcb_micro_state_t *st, const char *label) { S(st).SetLabel(label); }
void gcb_micro_items_processed(gcb_micro_state_t *st, int64_t n) { S(st).SetItemsProcessed(n); }
void gcb_micro_bytes_processed(gcb_micro_state_t *st, int64_t n) { S(st).SetBytesProcessed(n); }

void gcb_micro_counter(gcb_micro_state_t *st, const char *name, double value, unsigned flags)
{
    S(st).counters[name] = benchmark::Counter(value, static_cast<benchmark::Counter::Flags>(flags));
}

void gcb_micro_context(const char *key, const char *value) { benchmark::AddCustomContext(key, value); }

} // extern "C"

namespace {

// Forwards Start/Stop to the C callbacks.  1.7.1 calls Stop(Result*).
class CMemoryManager : public benchmark::MemoryManager {
  public:
    CMemoryManager(void (*start)(void), void (*stop)(gcb_micro_memory_t *)) : start_(start), stop_(stop) {}
    void Start() override { start_(); }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    void Stop(Result *result) override
    {
        // Fields we cannot fill are left as Google Benchmark initialised
        // them (TombstoneValue: "not available").  The constant itself is
        // not exported by Debian's libbenchmark 1.7.1, so it is never named.
        const int64_t none = GCB_MICRO_UNAVAILABLE;
        gcb_micro_memory_t m = { none, none, none, none };
        stop_(&m);
        result->num_allocs = m.num_allocs == none ? 0 : m.num_allocs;
        result->max_bytes_used = m.max_bytes_used == none ? 0 : m.max_bytes_used;
        if (m.total_allocated_bytes != none)
            result->total_allocated_bytes = m.total_allocated_bytes;
        if (m.net_heap_growth != none)
            result->net_heap_growth = m.net_heap_growth;
    }
#pragma GCC diagnostic pop

  private:
    void (*start_)(void);
    void (*stop_)(gcb_micro_memory_t *);
};

CMemoryManager *memory_manager;

} // namespace

extern "C" {

void gcb_micro_memory_manager(void (*start)(void), void (*stop)(gcb_micro_memory_t *out))
{
    delete memory_manager;
    memory_manager = new CMemoryManager(start, stop);
    benchmark::RegisterMemoryManager(memory_manager);
}

int gcb_micro_main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    size_t ran = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return ran ? 0 : 2; /* a filter that matched nothing ran nothing: bad input */
}

} // extern "C"
