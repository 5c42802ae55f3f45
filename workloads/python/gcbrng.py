"""workloads/python/gcbrng.py - bit-exact ports of util/rng.h and of the
content checksum of workloads/common.c, so a Python twin draws the same
numbers as its C workload for the same seed and mixes the same checksum.

Every value is a Python int kept in [0, 2**64) by masking after each
operation that C does modulo 2**64; floats are built exactly as C builds
them ((next >> 11) * 2**-53 is exact in a double), and the distributions
call the same libm functions through `math` (CPython's math.exp, log,
log1p and pow are the C library's), so they agree bit for bit.

Invariant: for every seed, Rng(seed).next() yields the sequence of
gcb_rng_next() after gcb_rng_seed(seed), and mix/whash/str_hash return
what gcb_mix/gcb_wl_hash/gcb_str_hash return for the same contents.
"""
import math
import struct

M64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def splitmix64(x):
    """One step of splitmix64: returns (new state, output)."""
    x = (x + _GOLDEN) & M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return x, z ^ (z >> 31)


class Rng:
    """xoshiro256** seeded through splitmix64 (util/rng.h)."""
    __slots__ = ("s0", "s1", "s2", "s3")

    def __init__(self, seed):
        x = seed & M64
        x, self.s0 = splitmix64(x)
        x, self.s1 = splitmix64(x)
        x, self.s2 = splitmix64(x)
        x, self.s3 = splitmix64(x)

    def next(self):
        s0, s1, s2, s3 = self.s0, self.s1, self.s2, self.s3
        x = (s1 * 5) & M64
        result = ((((x << 7) | (x >> 57)) & M64) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) & M64) | (s3 >> 19)
        self.s0, self.s1, self.s2, self.s3 = s0, s1, s2, s3
        return result

    def below(self, n):
        """Uniform in [0, n) by multiply-shift (gcb_rng_below), n > 0."""
        return (self.next() * n) >> 64

    def double(self):
        """Uniform in [0, 1) (gcb_rng_double)."""
        return (self.next() >> 11) * 1.1102230246251565e-16   # 0x1.0p-53

    # --- the distributions of workloads/common.h (each one draw, through
    # Rng.double itself so a recording subclass records the result alone)
    def loguniform(self, lo, hi):
        d = _Base.double(self)
        x = math.exp(math.log(float(lo)) + d * (math.log(float(hi) + 1.0) - math.log(float(lo))))
        v = int(x)
        return lo if v < lo else hi if v > hi else v

    def exponential(self, mean):
        return -mean * math.log1p(-_Base.double(self))

    def pareto(self, mean, alpha):
        xm = mean * (alpha - 1.0) / alpha
        return xm / math.pow(1.0 - _Base.double(self), 1.0 / alpha)


_Base = Rng     # the port itself, whatever gcbtwin.py binds the name Rng to


# --- replaying the draws ---------------------------------------------------
#
# The port above does in Python what the C does in registers: one next()
# makes about 20 int objects of 2-3 digits (each through the allocator
# under test), one mix about 11 (measured with `gcbench trace`).  A twin
# would then measure mostly its own random numbers and checksum.  So the
# harness runs a twin twice (gcbtwin.py): first untimed with a RecordingRng,
# which keeps every result in two arrays (ints: below, loguniform; floats:
# double, exponential, pareto), then timed with a ReplayRng that hands the
# same results back in the same order (the program is deterministic, so
# the k-th call of each kind gets the k-th result); and mix() only appends
# its value to an array, folded after the timing (every twin threads one
# checksum through mix from 0, so folding the values in order is the same
# chain; mix_str does the same for a string's hash).  Reading an array element makes at most the one object the C
# program also has (the value), often a cached small int or a free-listed
# float.

class RecordingRng(_Base):
    __slots__ = ("ints", "floats")

    def __init__(self, seed, ints, floats):
        _Base.__init__(self, seed)
        self.ints, self.floats = ints, floats

    def below(self, n):
        v = _Base.below(self, n)
        self.ints.append(v)
        return v

    def double(self):
        v = _Base.double(self)
        self.floats.append(v)
        return v

    def loguniform(self, lo, hi):
        v = _Base.loguniform(self, lo, hi)
        self.ints.append(v)
        return v

    def exponential(self, mean):
        v = _Base.exponential(self, mean)
        self.floats.append(v)
        return v

    def pareto(self, mean, alpha):
        v = _Base.pareto(self, mean, alpha)
        self.floats.append(v)
        return v


class ReplayRng:
    """The results a RecordingRng kept, in order; no arithmetic at all."""
    __slots__ = ("below", "double", "loguniform", "exponential", "pareto")

    def __init__(self, ints, floats):
        ni, nf = iter(ints).__next__, iter(floats).__next__
        self.below = lambda n: ni()
        self.double = nf
        self.loguniform = lambda lo, hi: ni()
        self.exponential = lambda mean: nf()
        self.pareto = lambda mean, alpha: nf()


class Deferred:
    """mix() and mix_str() that only record, and the fold that computes the
    chain afterwards.  A string's hash (FNV over its bytes, in Python) is
    recorded as the string and its position, computed at the fold."""

    def __init__(self):
        import array
        self.values = array.array("Q")
        self.strs = []

    def functions(self):
        values, strs = self.values, self.strs
        append = values.append

        def mix_deferred(h, v):
            append(v if 0 <= v <= M64 else v & M64)
            return 0

        def mix_str_deferred(h, o):
            strs.append((len(values), o))
            append(0)
            return 0
        return mix_deferred, mix_str_deferred

    def fold(self, h=0):
        strs = dict(self.strs)
        for i, v in enumerate(self.values):
            h = _mix_now(h, str_hash(strs[i]) if i in strs else v)
        return h


def _mix_now(h, v):
    """gcb_mix: order-dependent, full avalanche; v may be negative (taken
    modulo 2**64 as C's cast to uint64_t does)."""
    h ^= (v + _GOLDEN + (h << 6) + (h >> 2)) & M64
    return (h * 0xFF51AFD7ED558CCD) & M64


def _mix_str_now(h, o):
    return _mix_now(h, str_hash(o))


mix, mix_str = _mix_now, _mix_str_now    # gcbtwin.py rebinds both to Deferred's


def str_hash(s):
    """gcb_str_hash of runtime/str.c: FNV-1a over the bytes, an avalanche,
    never 0.  The suite's strings are ASCII."""
    h = 0xCBF29CE484222325
    for b in s.encode("latin-1"):
        h = ((h ^ b) * 0x100000001B3) & M64
    h ^= h >> 32
    h = (h * 0xD6E8FEB86659FD93) & M64
    h ^= h >> 32
    return h or 1


def float_bits(d):
    return struct.unpack("<Q", struct.pack("<d", d))[0]


_NONE_TAG = 0x4E6F6E65


def whash(h, o, depth):
    """gcb_wl_hash: the contents of o mixed into h, containers down to
    `depth` levels, instances as their class name's length and __dict__."""
    if o is None:
        return mix(h, _NONE_TAG)
    t = type(o)
    if t is int:
        return mix(mix(h, 1), o)
    if t is float:
        return mix(mix(h, 2), float_bits(o))
    if t is str:
        return mix_str(mix(h, 3 + len(o)), o)
    if t is list or t is tuple:
        h = mix(mix(h, 4 if t is list else 5), len(o))
        if depth > 0:
            for x in o:
                h = whash(h, x, depth - 1)
        return h
    if t is dict:
        h = mix(mix(h, 6), len(o))
        if depth > 0:
            for k, v in o.items():
                h = whash(h, k, depth - 1)
                h = whash(h, v, depth - 1)
        return h
    if hasattr(o, "__dict__"):
        h = mix(mix(h, 7), len(t.__name__))
        return whash(h, o.__dict__, depth - 1) if depth > 0 else h
    return mix(h, 8)


def wl_equal(a, b):
    """gcb_wl_equal: Python's == restricted to the suite's types, which is
    Python's own == for them."""
    return a == b
