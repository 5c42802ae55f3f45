"""workloads/python/intchurn.py - twin of workloads/intchurn.c: the seed
notes' `a = a + 3`, boxed numbers made and dropped with the small-int
cache, a short-lived list every list_every iterations."""
from gcbrng import Rng, mix

OPS_UNIT = "numbers and lists created"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("small_rate", float, "0.3", 0, 1, None),
    ("float_rate", float, "0.25", 0, 1, None),
    ("list_every", int, "8", 1, 1e9, None),
    ("list_len", int, "8", 0, 1e6, None),
]


def run(p, seed):
    n = int(2000000.0 * p["scale"])
    small_rate, float_rate = p["small_rate"], p["float_rate"]
    list_every, list_len = p["list_every"], p["list_len"]
    rng = Rng(seed)
    double, below = rng.double, rng.below
    ops = h = 0
    a = 5
    tmp = None
    for i in range(n):
        if double() < small_rate:
            a = below(120) - 5                  # a + 3 and 2a stay cached
        else:
            a = 1000 + below(1 << 30)
        a = a + 3
        b = a * 2
        ops += 3
        h = mix(h, a + b)
        if double() < float_rate:
            f = b / 3.0
            ops += 1
            h = mix(h, int(f))
        if i % list_every == 0:
            tmp = [a + j for j in range(list_len)]
            ops += list_len + 1
    if tmp is not None:
        for x in tmp:
            h = mix(h, x)
    h = mix(h, a)
    return ops, h, 0
