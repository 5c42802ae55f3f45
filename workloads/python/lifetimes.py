"""workloads/python/lifetimes.py - twin of workloads/lifetimes.c: objects
of a CPython-like type and size mix, each kept alive for a lifetime drawn
from an exponential or Pareto distribution on the allocation clock, in a
timing wheel of lists used as stacks (slots overwritten, never shrunk)."""
import sys

from gcbrng import Rng, mix, whash

OPS_UNIT = "objects allocated"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("dist", str, "pareto", 0, 0, "exponential|pareto"),
    ("mean", float, "28", 1, 1e9, None),
    ("alpha", float, "1.2", 1.01, 100, None),
    ("survivor_rate", float, "0.02", 0, 1, None),
    ("link_rate", float, "0.1", 0, 1, None),
]
K_INT, K_FLOAT, K_STR, K_LONGSTR, K_TUPLE, K_LIST, K_DICT, K_INSTANCE = range(8)
MIX = ((K_INT, 380), (K_FLOAT, 70), (K_STR, 220), (K_LONGSTR, 5), (K_TUPLE, 160),
       (K_LIST, 85), (K_DICT, 60), (K_INSTANCE, 20))
W = 1024
TEXT = "the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. "
LONG_TEXT = TEXT * (4096 // len(TEXT) + 1)      # a constant: TEXT repeated, sliced to n
KEYS = [sys.intern("k%d" % i) for i in range(8)]


class Obj:
    pass


def pick_kind(rng):
    x = rng.below(1000)
    for kind, per_mille in MIX:
        if x < per_mille:
            return kind
        x -= per_mille
    return K_INT


def make(kind, rng, prev, link_rate, t):
    link = rng.double() < link_rate
    if kind == K_INT:
        return 1000 + (t & 0xFFFFFF)
    if kind == K_FLOAT:
        return float(t) * 0.5
    if kind == K_STR or kind == K_LONGSTR:
        n = rng.loguniform(1, 64) if kind == K_STR else rng.loguniform(65, 4096)
        return LONG_TEXT[:n]
    if kind == K_TUPLE:
        n = 1 + rng.below(4)
        p0 = prev if link else 0
        return (p0,) if n == 1 else (p0, 1) if n == 2 else (p0, 1, 2) if n == 3 else (p0, 1, 2, 3)
    if kind == K_LIST:
        n = rng.below(9)
        o = []
        for i in range(n):
            o.append(prev if i == 0 and link else i)
        return o
    if kind == K_DICT:
        n = 1 + rng.below(6)
        o = {}
        for i in range(n):
            o[KEYS[i]] = prev if i == 0 and link else None
        return o
    n = 1 + rng.below(4)
    o = Obj()
    for i in range(n):
        setattr(o, KEYS[i], prev if i == 0 and link else i)
    return o


def push(bucket, fills, b, o):
    k = fills[b]
    if k < len(bucket):
        bucket[k] = o
    else:
        bucket.append(o)
    fills[b] = k + 1


def empty(bucket, fills, b):
    for i in range(fills[b]):
        bucket[i] = None
    fills[b] = 0


def run(p, seed):
    n = int(1500000.0 * p["scale"])
    pareto = p["dist"] == "pareto"
    mean, alpha = p["mean"], p["alpha"]
    survivor_rate, link_rate = p["survivor_rate"], p["link_rate"]
    rng = Rng(seed)
    double = rng.double
    per_kind = [0] * 8
    fine_fill, coarse_fill = [0] * W, [0] * W
    wheel = [[] for _ in range(W)]
    coarse = [[] for _ in range(W)]
    surv = []
    prev = None
    for t in range(n):
        empty(wheel[t % W], fine_fill, t % W)
        if t % W == 0:
            empty(coarse[(t // W) % W], coarse_fill, (t // W) % W)
        kind = pick_kind(rng)
        per_kind[kind] += 1
        o = make(kind, rng, prev, link_rate, t)
        if double() < survivor_rate:
            surv.append(o)
        else:
            life = rng.pareto(mean, alpha) if pareto else rng.exponential(mean)
            L = 1 if life < 1.0 else 10 ** 15 if life > 1e15 else int(life)
            if L < W:
                b = (t + L) % W
                push(wheel[b], fine_fill, b, o)
            elif L < W * W:
                b = ((t + L) // W) % W
                push(coarse[b], coarse_fill, b, o)
            else:
                surv.append(o)                  # beyond the horizon
        prev = o
        o = None
    h = 0
    for k in per_kind:
        h = mix(h, k)
    for i in range(W):
        h = mix(mix(h, fine_fill[i]), coarse_fill[i])
    for o in surv:
        h = whash(h, o, 1)
    return n, h, 0
