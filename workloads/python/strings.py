"""workloads/python/strings.py - twin of workloads/strings.c: string
building, slicing and sys.intern with sizes from one character to
several KiB."""
import sys

from gcbrng import Rng, mix, whash

OPS_UNIT = "strings created"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("min_len", int, "1", 1, 1 << 20, None),
    ("max_len", int, "4096", 1, 1 << 20, None),
    ("window", int, "256", 1, 1 << 24, None),
    ("intern_rate", float, "0.25", 0, 1, None),
    ("intern_hit", float, "0.7", 0, 1, None),
    ("names", int, "512", 1, 1 << 24, None),
]


def check(p):
    if p["min_len"] > p["max_len"]:
        return "min_len=%d is above max_len=%d" % (p["min_len"], p["max_len"])
    return None


def run(p, seed):
    n = int(600000.0 * p["scale"])
    min_len, max_len, window_len = p["min_len"], p["max_len"], p["window"]
    intern_rate, intern_hit, n_names = p["intern_rate"], p["intern_hit"], p["names"]
    rng = Rng(seed)
    below, double, loguniform = rng.below, rng.double, rng.loguniform
    intern = sys.intern
    ops = h = hits = 0
    TEXT = "".join([chr(97 + below(26)) for _ in range(max_len)])
    names = [intern("name%d" % k) for k in range(n_names)]
    window = [None] * window_len
    for i in range(n):
        L = loguniform(min_len, max_len)
        o = below(max_len - L + 1)
        s = TEXT[o:o + L]
        ops += 1
        w = window[below(window_len)]
        if w is not None and len(w) + L <= max_len:
            t = w + s
            ops += 1
        else:
            t = s
        tl = len(t)
        lo = below(tl + 1)
        hi = below(tl + 1)
        if hi < lo:
            lo, hi = hi, lo
        if below(8) == 0:
            lo, hi = 0, tl                      # t[:] is t
        u = t[lo:hi]
        if u is not t:
            ops += 1
        h = mix(h, len(u) * 2 + (u is t))
        window[i % window_len] = u
        if double() < intern_rate:
            j = below(n_names)
            if double() < intern_hit:
                name = names[j]
                k = intern(name.lower())        # a fresh copy (names are lower case); it dies
                hits += k is name
            else:
                k = intern("key%d" % i)
                names[j] = k
            ops += 1
    for x in window:
        h = whash(h, x, 0)
    for name in names:
        h = whash(h, name, 0)
        h = mix(h, intern(name) is name)
    h = mix(h, hits)
    return ops, h, 0
