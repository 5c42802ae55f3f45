"""Summarise allocation traces (docs/traces.md) for the calibration of the
`lifetimes` workload (docs/workloads.md): request sizes, and lifetimes
measured on the allocation clock (allocations made between a block's birth
and its death), with a census of live objects by type taken while the
traced scripts run.

    python3 workloads/traces/analyze.py TRACE...            # sizes and lifetimes
    python3 workloads/traces/analyze.py --census SCRIPT.py  # sys.getsizeof and a live census
"""
import collections
import gc
import math
import runpy
import sys

OPS = {1: "malloc", 2: "free", 3: "realloc", 4: "calloc", 5: "memalign", 0x7F: "end"}


def varints(data, pos, n):
    out = []
    for _ in range(n):
        v = shift = 0
        while True:
            b = data[pos]
            pos += 1
            v |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        out.append(v)
    return out, pos


def events(path):
    data = open(path, "rb").read()
    assert data[:8] == b"GCBTRACE", "not a gcbench trace"
    pos = 32
    nargs = {1: 2, 2: 1, 3: 3, 4: 2, 5: 3, 0x7F: 3}
    while pos < len(data):
        op = data[pos]
        args, pos = varints(data, pos + 1, nargs[op])
        yield op, args


def analyze(path):
    clock = 0
    born = {}
    sizes = collections.Counter()
    lifetimes = []
    for op, a in events(path):
        if op in (1, 4):
            ident, size = a
        elif op == 5:
            ident, _, size = a
        elif op == 3:
            old, ident, size = a
            lifetimes.append(clock - born.pop(old))
        elif op == 2:
            lifetimes.append(clock - born.pop(a[0]))
            continue
        else:
            break
        clock += 1
        sizes[size] += 1
        born[ident] = clock
    total = sum(sizes.values())
    print("%s: %d allocations, %d freed, %d live at exit" % (path, total, len(lifetimes), len(born)))
    small = sum(c for s, c in sizes.items() if s <= 512)
    print("  requests <= 512 bytes: %.1f%%" % (100.0 * small / total))
    buckets = [(0, 24), (25, 32), (33, 48), (49, 64), (65, 96), (97, 128), (129, 256), (257, 512),
               (513, 1024), (1025, 4096), (4097, 1 << 62)]
    for lo, hi in buckets:
        c = sum(n for s, n in sizes.items() if lo <= s <= hi)
        print("  size %6d..%-8s %6.2f%%" % (lo, hi if hi < 1 << 40 else "", 100.0 * c / total))
    print("  most frequent sizes:", ", ".join("%d:%.1f%%" % (s, 100.0 * c / total) for s, c in sizes.most_common(12)))
    # "to the end": still live at exit, or freed in the last 5% of the run
    # (interpreter finalization) after living through at least half of it
    late = sum(1 for b in born.values()) + sum(1 for x in lifetimes if x > total // 2)
    print("  live to the end: %.1f%%" % (100.0 * late / total))
    lifetimes.sort()
    n = len(lifetimes)
    for k in (1, 2, 4, 10, 100, 1000, 10000, 100000):
        import bisect
        print("  freed within %6d allocations: %5.1f%%" % (k, 100.0 * bisect.bisect_right(lifetimes, k) / n))
    mean = sum(lifetimes) / n
    print("  lifetime mean %.1f, median %d, p90 %d, p99 %d, max %d allocations"
          % (mean, lifetimes[n // 2], lifetimes[n * 9 // 10], lifetimes[n * 99 // 100], lifetimes[-1]))
    tail = lifetimes[n * 9 // 10:]
    xm = tail[0]
    hill = len(tail) / sum(math.log(x / xm) for x in tail if x > 0) if xm > 0 else float("nan")
    print("  Pareto tail (top 10%%, Hill estimator): alpha %.2f above %d allocations" % (hill, xm))


def census(script):
    print("sys.getsizeof on this python (%s):" % sys.version.split()[0])
    class C:
        def __init__(self):
            self.a = self.b = self.c = None
    samples = [("int 1000", 1000), ("int 2**40", 2 ** 40), ("float", 1.5), ("str ''", ""),
               ("str 'abcdefgh'", "abcdefgh"), ("tuple ()", ()), ("tuple 2", (1, 2)), ("list []", []),
               ("list 8 items", list(range(8))), ("dict {}", {}), ("dict 5 keys", dict.fromkeys("abcde")),
               ("instance (3 attrs)", C()), ("instance __dict__", C().__dict__)]
    for name, o in samples:
        print("  %-20s %4d" % (name, sys.getsizeof(o)))
    counts = collections.Counter()
    sizes = collections.Counter()
    state = {"calls": 0, "samples": 0}

    def take():
        seen = set()
        for o in gc.get_objects():
            for x in [o] + gc.get_referents(o):
                if id(x) in seen:
                    continue
                seen.add(id(x))
                t = type(x).__name__
                if t in ("int", "float", "str", "tuple", "list", "dict", "bytes") or hasattr(x, "__dict__") and not isinstance(x, type) and type(x).__module__ == "__main__":
                    t = t if t in ("int", "float", "str", "tuple", "list", "dict", "bytes") else "instance"
                    counts[t] += 1
                    sizes[t] += sys.getsizeof(x)
        state["samples"] += 1

    def prof(frame, event, arg):
        if event == "call":
            state["calls"] += 1
            if state["calls"] % 50000 == 0:
                sys.setprofile(None)
                take()
                sys.setprofile(prof)

    sys.argv = [script]
    sys.setprofile(prof)
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        sys.setprofile(None)
    total = sum(counts.values())
    print("live objects by type, %d censuses of %s (module, code and type objects left out):" % (state["samples"], script))
    for t, c in counts.most_common():
        print("  %-9s %5.1f%% of objects, mean %6.1f bytes" % (t, 100.0 * c / total, sizes[t] / c))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--census"]:
        census(sys.argv[2])
    else:
        for p in sys.argv[1:]:
            analyze(p)
