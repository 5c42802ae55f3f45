"""workloads/python/gcbtwin.py - the common harness of the Python twins.

    python3 gcbtwin.py -w NAME [-p KEY=VALUE]... [--seed N] [--json FILE]
                       [--gc on|off|T0,T1,T2] [--check-malloc LIB]
    python3 gcbtwin.py --list          # the twins and their parameters

A twin (workloads/python/NAME.py) is the Python program its C workload
(workloads/NAME.c) models: same idiom, same parameters, same seed, and the
same `ops` and `checksum` (gcbrng.py ports the RNG and the checksum mix).
Each twin module defines
    PARAMS    rows (name, type, default, min, max, choices): the C table's
    OPS_UNIT  the C workload's ops_unit
    run(p, seed) -> (ops, checksum, cyclic_garbage_objects or None)
and the harness does what bench/run.c does around gcb_run_cell:
  1. parse and check the parameters exactly as util/params.c does (same
     accepted syntax, ranges and choices; a bad one: exit 2, one line);
  2. set the collector (--gc: `off` is gc.disable(), T0,T1,T2 is
     gc.set_threshold), register a gc.callbacks hook, then time run()
     alone with perf_counter (interpreter start-up, imports and parsing
     excluded), user/sys from getrusage around the same interval;
  3. peak RSS (VmHWM), page faults (this process's: the recording pass of
     --rng replay runs in a child, so the timed pass pays its own first
     touches; timed_minor_faults are the timed part's), and every
     collection's pause: the callback stamps "start" and "stop" with
     perf_counter_ns, pauses go into the log-linear histogram of
     util/hist.c, so pause_ns has the same fields and bucket bounds as a
     C record's.
The JSON written with --json is the part of a record the interpreter can
measure (docs/python.md); `gcbench run -w py:NAME` reads it into a full
record.  Exit status: 0, 2 for bad input, 1 for a failure.
"""
import gc
import importlib.util
import json
import math
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gcbrng  # noqa: E402  (the twins import it by this name)
TWINS = ("intchurn", "cycles", "strings", "aliasing", "slicing", "copies", "dicts",
         "trees", "traversal", "lifetimes", "locals")
EXIT_USAGE, EXIT_FAIL = 2, 1


def usage_error(msg):
    sys.stderr.write("gcbtwin: %s\n" % msg)
    sys.exit(EXIT_USAGE)


# --- parameters: util/params.c's syntax and checks -------------------------

def parse_int(s):
    """strtoll(s, 0) plus the k/M/G suffixes of gcb_parse_int; None if bad."""
    mult = 1
    if s and s[-1] in "kKMG":
        mult = {"k": 1000, "K": 1000, "M": 1000000, "G": 1000000000}[s[-1]]
        s = s[:-1]
    t = s.strip()
    if not t or t != s.lstrip():
        return None
    neg = t[0] == "-"
    body = t[1:] if t[0] in "+-" else t
    try:
        if body[:2].lower() == "0x":
            v = int(body[2:], 16)
        elif len(body) > 1 and body[0] == "0":
            v = int(body[1:], 8)
        else:
            v = int(body, 10)
    except ValueError:
        return None
    return (-v if neg else v) * mult


def parse_double(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) and "_" not in s else None


def fmt_g(x):
    return "%.15g" % x


def check_params(rows, given):
    """The values of every row (the user's or the default), checked as
    gcb_params_validate does.  Exits 2 with one line on the first bad one."""
    by_name = {r[0]: r for r in rows}
    for k in given:
        if k not in by_name:
            usage_error("unknown parameter '%s'; accepted here: %s" % (k, " ".join(r[0] for r in rows)))
    out = {}
    for name, typ, default, lo, hi, choices in rows:
        text = given.get(name, default)
        if typ is int:
            v = parse_int(text)
            if v is None:
                usage_error("parameter %s=%s: not an integer" % (name, text))
        elif typ is float:
            v = parse_double(text)
            if v is None:
                usage_error("parameter %s=%s: not a number" % (name, text))
        else:
            v = text
            if choices and v not in choices.split("|"):
                usage_error("parameter %s=%s: choose one of %s" % (name, text, choices))
        if typ is not str and (v < lo or v > hi):
            usage_error("parameter %s=%s: out of range [%s, %s]" % (name, text, fmt_g(lo), fmt_g(hi)))
        out[name] = v
    return out


def check_twin(name):
    if name not in TWINS:
        usage_error("unknown twin '%s'; accepted: %s (replay has none: docs/workloads.md)"
                    % (name, " ".join(TWINS)))


def load_twin(name):
    """A fresh module object of the twin: it binds gcbrng's Rng, mix and
    mix_str as they are now (so each pass of run_twin gets its own)."""
    check_twin(name)
    spec = importlib.util.spec_from_file_location("gcbtwin_" + name, os.path.join(HERE, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# --- pauses: util/hist.c's log-linear histogram ----------------------------

SUB_BITS = 4
SUB = 1 << SUB_BITS


def bucket_of(v):
    if v < SUB:
        return v
    top = v.bit_length() - 1
    return (top - SUB_BITS + 1) * SUB + ((v >> (top - SUB_BITS)) & (SUB - 1))


def bucket_upper(i):
    group, sub = divmod(i, SUB)
    if group == 0:
        return sub
    shift = group - 1
    return ((SUB + sub) << shift) + (1 << shift) - 1


def quantile(samples_sorted_buckets, count, vmin, vmax, q):
    """gcb_hist_quantile over (bucket -> count)."""
    if count == 0:
        return 0
    rank = int(q * count)
    if rank < q * count:
        rank += 1
    rank = max(rank, 1)
    seen = 0
    for b in sorted(samples_sorted_buckets):
        seen += samples_sorted_buckets[b]
        if seen >= rank:
            return min(max(bucket_upper(b), vmin), vmax)
    return vmax


def pause_summary(pauses):
    buckets = {}
    for v in pauses:
        b = bucket_of(v)
        buckets[b] = buckets.get(b, 0) + 1
    n = len(pauses)
    lo, hi = (min(pauses), max(pauses)) if n else (0, 0)
    s = {"count": n, "max": hi, "total": sum(pauses)}
    for key, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999)):
        s[key] = quantile(buckets, n, lo, hi, q)
    return s


class PauseRecorder:
    """gc.callbacks hook: one pause per collection, stamped at "start" and
    "stop" (the callback's own cost is inside the interval, as the C
    collectors' clock reads are)."""

    def __init__(self):
        self.pauses, self.per_gen, self.collected = [], [0, 0, 0], 0
        self.t0 = None
        self.on = False

    def __call__(self, phase, info):
        if not self.on:
            return
        if phase == "start":
            self.t0 = time.perf_counter_ns()
        elif self.t0 is not None:
            self.pauses.append(time.perf_counter_ns() - self.t0)
            self.t0 = None
            g = info.get("generation", 0)
            if 0 <= g < 3:
                self.per_gen[g] += 1
            self.collected += info.get("collected", 0)


# --- process figures --------------------------------------------------------

def status_kib(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _plt_target(ctypes, addr):
    """The function a PLT stub at `addr` jumps to (x86-64: an optional
    endbr64 and bnd prefix, then jmp *rel32(%rip): the GOT slot, filled by
    the dynamic linker once malloc has been called, as it has by now)."""
    code = ctypes.string_at(addr, 16)
    i = 4 if code[:4] == b"\xf3\x0f\x1e\xfa" else 0
    if code[i:i + 1] == b"\xf2":
        i += 1
    if code[i:i + 2] != b"\xff\x25":
        return None
    rel = int.from_bytes(code[i + 2:i + 6], "little", signed=True)
    slot = addr + i + 6 + rel
    return ctypes.c_void_p.from_address(slot).value


def malloc_serves(lib):
    """Is `lib` (a path, or a soname such as libc.so) the library whose
    malloc this process calls?  dladdr of the address the dynamic linker
    resolves `malloc` to, from inside the interpreter (the check bench
    makes for its own process in allocators/preload.c).  A non-PIE
    interpreter (Debian's /usr/bin/python3) holds a canonical PLT entry for
    malloc, so dlsym names the executable: the stub's GOT target is then
    the malloc really called."""
    import ctypes

    class DlInfo(ctypes.Structure):
        _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                    ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]
    libdl = ctypes.CDLL(None)
    libdl.dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(DlInfo)]

    def owner(addr):
        info = DlInfo()
        if not addr or not libdl.dladdr(addr, ctypes.byref(info)) or not info.dli_fname:
            return None
        return os.path.realpath(info.dli_fname.decode() or "/proc/self/exe")

    addr = ctypes.cast(libdl.malloc, ctypes.c_void_p).value
    where = owner(addr)
    if where == os.path.realpath("/proc/self/exe"):
        where = owner(_plt_target(ctypes, addr)) or where
    if where is None:
        return False, "?"
    if os.path.sep in lib:
        return where == os.path.realpath(lib), where
    return lib in os.path.basename(where), where


def interpreter_info(malloc_lib):
    """Version and build of this interpreter, for the record's context."""
    import platform
    import sysconfig
    cv = sysconfig.get_config_var
    return {"version": platform.python_version(), "implementation": sys.implementation.name,
            "build": " ".join(platform.python_build()), "compiler": platform.python_compiler(),
            "executable": sys.executable, "config_args": cv("CONFIG_ARGS") or "",
            "cflags": cv("PY_CFLAGS") or "", "with_pymalloc": bool(cv("WITH_PYMALLOC")),
            "debug": bool(cv("Py_DEBUG")), "gil_disabled": bool(cv("Py_GIL_DISABLED")),
            "pythonmalloc": os.environ.get("PYTHONMALLOC", ""), "malloc_library": malloc_lib}


def parse_args(argv):
    a = {"w": None, "p": {}, "seed": 1, "json": None, "gc": "on", "check_malloc": None, "list": False,
         "rng": "replay"}
    i = 0
    while i < len(argv):
        o = argv[i]
        val = argv[i + 1] if i + 1 < len(argv) else None
        if o == "--list":
            a["list"] = True
            i += 1
            continue
        if o not in ("-w", "-p", "--seed", "--json", "--gc", "--check-malloc", "--rng"):
            usage_error("unknown option '%s'; accepted: -w NAME -p KEY=VALUE --seed N --json FILE "
                        "--gc on|off|T0,T1,T2 --check-malloc LIB --rng replay|live --list" % o)
        if val is None:
            usage_error("option %s needs a value" % o)
        if o == "-w":
            a["w"] = val
        elif o == "-p":
            k, eq, v = val.partition("=")
            if not eq or not k:
                usage_error("malformed parameter '%s': expected KEY=VALUE, e.g. -p scale=2" % val)
            if not v:
                usage_error("parameter '%s' has an empty value: give KEY=VALUE" % k)
            a["p"][k] = v
        elif o == "--seed":
            s = parse_int(val)
            if s is None or s < 0 or s >= 1 << 64:
                usage_error("--seed '%s': give a non-negative integer" % val)
            a["seed"] = s
        elif o == "--json":
            a["json"] = val
        elif o == "--gc":
            a["gc"] = parse_gc(val)
        elif o == "--rng":
            if val not in ("replay", "live"):
                usage_error("--rng '%s': give replay (the default) or live" % val)
            a["rng"] = val
        else:
            a["check_malloc"] = val
        i += 2
    return a


def parse_gc(val):
    if val in ("on", "off"):
        return val
    parts = val.split(",")
    nums = [parse_int(x) for x in parts]
    if len(parts) != 3 or any(x is None or x < 0 or x > 1 << 31 for x in nums):
        usage_error("--gc '%s': give on, off, or three thresholds T0,T1,T2 (non-negative integers)" % val)
    return tuple(nums)


def list_twins():
    for name in TWINS:
        mod = load_twin(name)
        for r in mod.PARAMS:
            print("%-10s %-14s %-6s default %s" % (name, r[0], {int: "int", float: "number", str: "string"}[r[1]], r[2]))


class PerfControl:
    """GCB_TWIN_PERF_CTL=CTL,ACK (scripts/calibrate): the fifos of `perf
    record -D -1 --control fifo:CTL,ACK`, so a profile covers the timed part
    alone (not start-up, imports or the recording pass).  Unset: no-op."""

    def __init__(self):
        spec = os.environ.get("GCB_TWIN_PERF_CTL")
        self.ctl = self.ack = None
        if spec:
            ctl, ack = spec.split(",", 1)
            self.ctl, self.ack = open(ctl, "w"), open(ack, "r")

    def send(self, cmd):
        if self.ctl:
            self.ctl.write(cmd + "\n")
            self.ctl.flush()
            self.ack.readline()


def timed(mod, p, seed, rec):
    """mod.run alone, timed: collected heap first, pauses recorded inside.
    GCB_TWIN_CALLGRIND=1 (scripts/calibrate): run() is called from inside
    functools.reduce, a C function no twin calls, so `valgrind
    --tool=callgrind --toggle-collect=functools_reduce` counts the timed
    part alone, as GCB_TWIN_PERF_CTL does for perf."""
    gc.collect()
    perf = PerfControl()
    rec.on = True
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    perf.send("enable")
    t0 = time.perf_counter()
    if os.environ.get("GCB_TWIN_CALLGRIND"):
        import functools
        out = functools.reduce(lambda _a, _b: mod.run(p, seed), (0, 0))
    else:
        out = mod.run(p, seed)
    t1 = time.perf_counter()
    perf.send("disable")
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    rec.on = False
    return out, (t0, t1, r0, r1)


def run_twin_live(name, p, seed, rec):
    """--rng live: the port itself in the timed part (its own big-int work
    and allocations included)."""
    gcbrng.Rng, gcbrng.mix, gcbrng.mix_str = gcbrng.Rng, gcbrng._mix_now, gcbrng._mix_str_now
    (ops, h, cyclic), times = timed(load_twin(name), p, seed, rec)
    return ops, h, cyclic, times


def record_draws(name, p, seed):
    """The recording pass: run the twin with a recording RNG and return
    (ints, floats, ops, cyclic, whether it left gc.isenabled() as it was)."""
    import array
    ints, floats = array.array("Q"), array.array("d")
    base = gcbrng.Rng
    gcbrng.Rng = lambda s: gcbrng.RecordingRng(s, ints, floats)
    gcbrng.mix, gcbrng.mix_str = gcbrng.Deferred().functions()
    gc_was = gc.isenabled()
    try:
        ops0, _, cyc0 = load_twin(name).run(p, seed)
    finally:
        gcbrng.Rng, gcbrng.mix, gcbrng.mix_str = base, gcbrng._mix_now, gcbrng._mix_str_now
    return ints, floats, ops0, cyc0, gc_was == gc.isenabled()


def record_draws_apart(name, p, seed):
    """record_draws in another interpreter process (this one, started anew
    with record_child), its results read back from a pipe.

    Why another process: the recording pass allocates everything the timed
    pass will (it is the same program), and in this process it would leave
    its pages behind: a cell that leaks (gc.disable() on cycles leaks
    17 MiB at scale 0.3) had its heap grown and faulted in by the untimed
    pass, gc.collect() gave the memory back to malloc's free lists, and the
    timed pass reused it: 167 minor faults and no kernel time where the
    program pays 4,197 faults when it runs once (docs/validate.md, "The
    leaking cell").  Apart, the timed pass starts from the heap interpreter
    start-up left, as the C cell starts from its own.  Not a fork: the
    parent's pages would be copy-on-write while the child runs, and the
    first write to each afterwards a fault (measured: about 1,000 before
    and 190 inside the timed part of cycles).

    The child is spawned, never waited for: what it costs is harness work,
    and a reaped child's faults and CPU time would be added to this
    process's in the wait4 of whoever reaps this one (the matrix's
    `process` block); unreaped, it is a zombie until this process exits
    and is then reaped by init.  Success is judged from what it sends (a
    head with both array lengths, the arrays, a trailer), not from an exit
    status.  It inherits the environment (PYTHONMALLOC, LD_PRELOAD,
    PYTHONHASHSEED) and runs with this process's gc setting; perf does not
    profile it (it ends before perf's events are enabled) nor does
    valgrind (which does not follow exec by default)."""
    spec = json.dumps({"w": name, "p": p, "seed": seed, "gc": gc.isenabled() and list(gc.get_threshold())})
    code = "import sys; sys.path.insert(0, %r); import gcbtwin; gcbtwin.record_child(sys.argv[1])" % HERE
    sys.stdout.flush()
    sys.stderr.flush()
    rfd, wfd = os.pipe()
    try:
        os.posix_spawn(sys.executable, [sys.executable, "-c", code, spec], os.environ,
                       file_actions=[(os.POSIX_SPAWN_DUP2, wfd, 1)])
    except OSError as e:
        sys.stderr.write("gcbtwin: the recording pass: cannot start %s: %s\n" % (sys.executable, e))
        sys.exit(EXIT_FAIL)
    os.close(wfd)
    with os.fdopen(rfd, "rb", buffering=0) as r:
        got = read_draws(r)
    if got is None:
        sys.stderr.write("gcbtwin: the recording pass (a child process) failed: it did not send its draws\n")
        sys.exit(EXIT_FAIL)
    return got


def read_full(r, buf):
    """Fill the writable buffer buf from r; False at an early end."""
    mv, pos = memoryview(buf).cast("B"), 0
    while pos < len(mv):
        n = r.readinto(mv[pos:])
        if not n:
            return False
        pos += n
    return True


def read_draws(r):
    """What record_child sent, as record_draws returns it, or None if it is
    short or malformed.  The arrays are filled in place (one allocation
    each, no bytes object in between), so the RSS they cost is what it was
    when this process made them itself: a copy would have raised
    lifetimes' peak RSS at scale 0.3 from 32 to 57 MiB."""
    import array
    import struct
    head = bytearray(struct.calcsize(RECORD_HEAD))
    if not read_full(r, head):
        return None
    ops0, cyc0, nints, nfloats, gc_same = struct.unpack(RECORD_HEAD, head)
    if nints < 0 or nfloats < 0:
        return None
    ints, floats = array.array("Q", [0]) * nints, array.array("d", [0.0]) * nfloats
    trailer = bytearray(len(RECORD_TRAILER))
    if not (read_full(r, ints) and read_full(r, floats) and read_full(r, trailer)):
        return None
    if bytes(trailer) != RECORD_TRAILER or r.readinto(bytearray(1)):
        return None
    return ints, floats, ops0, None if cyc0 < 0 else cyc0, bool(gc_same)


RECORD_HEAD = "<5q"           # ops, cyclic or -1, len(ints), len(floats), gc state kept
RECORD_TRAILER = b"gcbrec.\n"


def record_child(spec):
    """The child of record_draws_apart: spec is JSON {w, p, seed, gc} (gc:
    false for gc.disable(), else the thresholds); writes RECORD_HEAD, the
    two arrays' bytes and RECORD_TRAILER to stdout."""
    import struct
    a = json.loads(spec)
    if a["gc"] is False:
        gc.disable()
    else:
        gc.set_threshold(*a["gc"])
    gc.collect()
    ints, floats, ops0, cyc0, gc_same = record_draws(a["w"], a["p"], a["seed"])
    out = sys.stdout.buffer
    out.write(struct.pack(RECORD_HEAD, ops0, -1 if cyc0 is None else cyc0, len(ints), len(floats), int(gc_same)))
    out.write(ints.tobytes())
    out.write(floats.tobytes())
    out.write(RECORD_TRAILER)
    out.flush()


def run_twin_replay(name, p, seed, rec):
    """--rng replay (default): an untimed pass in a child records every
    draw, the timed pass replays them and defers the checksum mixing
    (gcbrng.py says why); the checksum is folded after the timing."""
    ints, floats, ops0, cyc0, gc_same = record_draws_apart(name, p, seed)
    base = gcbrng.Rng
    gcbrng.Rng = lambda s: gcbrng.ReplayRng(ints, floats)
    d = gcbrng.Deferred()
    gcbrng.mix, gcbrng.mix_str = d.functions()
    try:
        (ops, _, cyclic), times = timed(load_twin(name), p, seed, rec)
    finally:
        gcbrng.Rng, gcbrng.mix, gcbrng.mix_str = base, gcbrng._mix_now, gcbrng._mix_str_now
    if (ops, cyclic) != (ops0, cyc0) or not gc_same:
        sys.stderr.write("gcbtwin: the replayed pass differs from the recorded one\n")
        sys.exit(EXIT_FAIL)
    return ops, d.fold(), cyclic, times


def main(argv):
    a = parse_args(argv)
    if a["list"]:
        list_twins()
        return 0
    if not a["w"]:
        usage_error("give -w NAME (one of %s)" % " ".join(TWINS))
    mod = load_twin(a["w"])
    p = check_params(mod.PARAMS, a["p"])
    check = getattr(mod, "check", None)
    msg = check(p) if check else None
    if msg:
        usage_error(msg)
    mod = None
    malloc_lib = None
    if a["check_malloc"]:
        ok, where = malloc_serves(a["check_malloc"])
        if not ok:
            sys.stderr.write("gcbtwin: malloc is served by %s, not %s\n" % (where, a["check_malloc"]))
            return EXIT_FAIL
        malloc_lib = where

    run = run_twin_live if a["rng"] == "live" else run_twin_replay
    rec = PauseRecorder()
    gc.callbacks.append(rec)
    if a["gc"] == "off":
        gc.disable()
    elif a["gc"] != "on":
        gc.set_threshold(*a["gc"])
    gc.collect()          # start from a collected heap, outside the timing
    ops, checksum, cyclic, (t0, t1, r0, r1) = run(a["w"], p, a["seed"], rec)
    wall = t1 - t0
    ru = resource.getrusage(resource.RUSAGE_SELF)
    peak = status_kib("VmHWM") * 1024 or ru.ru_maxrss * 1024
    out = {
        "workload": a["w"], "params": {k: v for k, v in a["p"].items()}, "seed": a["seed"],
        "ops": ops, "ops_unit": load_twin(a["w"]).OPS_UNIT, "rng": a["rng"], "checksum": "%016x" % checksum,
        "cyclic_garbage_objects": cyclic,
        "wall_s": wall, "user_s": r1.ru_utime - r0.ru_utime, "sys_s": r1.ru_stime - r0.ru_stime,
        "ops_per_sec": ops / wall if wall > 0 else 0.0,
        "peak_rss_bytes": peak, "minor_faults": ru.ru_minflt, "major_faults": ru.ru_majflt,
        "timed_minor_faults": r1.ru_minflt - r0.ru_minflt,
        "gc": {"collections": len(rec.pauses), "collections_per_generation": rec.per_gen,
               "freed_by_gc": rec.collected, "gc_time_s": sum(rec.pauses) * 1e-9,
               "pause_ns": pause_summary(rec.pauses), "pauses_ns": rec.pauses,
               "setting": a["gc"] if isinstance(a["gc"], str) else list(a["gc"]),
               "thresholds": list(gc.get_threshold())},
        "python": interpreter_info(malloc_lib),
    }
    sys.stdout.write("py/%s: %.3f Mops/s (%d ops in %.3f s wall, %.3f user, %.3f sys), peak RSS %.1f MiB, "
                     "%d collections, checksum %016x\n"
                     % (a["w"], out["ops_per_sec"] / 1e6, ops, wall, out["user_s"], out["sys_s"],
                        peak / 1048576.0, len(rec.pauses), checksum))
    if a["json"]:
        tmp = a["json"] + ".tmp"
        with open(tmp, "w") as f:
            json.dump(out, f, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(tmp, a["json"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
