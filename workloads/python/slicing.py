"""workloads/python/slicing.py - twin of workloads/slicing.c: `h2 = h1[:]`
copies, then mutation of the original (the copy keeps the old item)."""
from gcbrng import Rng, mix, whash

OPS_UNIT = "slices taken"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("length", int, "50", 1, 1 << 24, None),
    ("keep", int, "128", 1, 1 << 24, None),
    ("partial_rate", float, "0.25", 0, 1, None),
    ("rebuild_every", int, "1000", 1, 1e12, None),
]


def make_original(rng, length):
    v = 1000 + rng.below(1 << 30)
    return [v + j for j in range(length)]


def run(p, seed):
    n = int(800000.0 * p["scale"])
    length, n_keep = p["length"], p["keep"]
    partial_rate, rebuild_every = p["partial_rate"], p["rebuild_every"]
    rng = Rng(seed)
    below, double = rng.below, rng.double
    ops = h = unchanged = 0
    h1 = make_original(rng, length)
    keep = [None] * n_keep
    for i in range(n):
        h2 = h1[:]
        ops += 1
        k = below(length)
        old = h1[k]
        h1[k] = 44 + i
        unchanged += h2[k] is old and h1[k] is not h2[k]
        if double() < partial_rate:
            lo = below(length + 1)
            hi = lo + below(length - lo + 1)
            h3 = h1[lo:hi]
            h = mix(h, len(h3))
            ops += 1
        keep[i % n_keep] = h2
        if i % rebuild_every == rebuild_every - 1:
            h1 = make_original(rng, length)
    h = whash(h, h1, 1)
    h = whash(h, keep, 2)
    h = mix(h, unchanged)
    return ops, h, 0
