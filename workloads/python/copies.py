"""workloads/python/copies.py - twin of workloads/copies.c: copy.copy
against copy.deepcopy of nested lists and dicts (the real Lib/copy.py:
its memo dict and keep-alive list are the ones the C workload models)."""
import copy
import sys

from gcbrng import Rng, mix, whash

OPS_UNIT = "containers created by copies"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("copy", str, "both", 0, 0, "shallow|deep|both"),
    ("depth", int, "4", 1, 24, None),
    ("breadth", int, "5", 1, 1 << 16, None),
    ("dict_rate", float, "0.4", 0, 1, None),
    ("share_rate", float, "0.1", 0, 1, None),
]
KEYS = [sys.intern("k%d" % j) for j in range(64)]       # code constants 'k0'..'k63'
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def key_of(j):
    return KEYS[j] if j < 64 else j                       # wide dicts: int keys past k63


def is_atomic(o):
    return o is None or type(o) in (int, float, str)


class Builder:
    def __init__(self, rng, p):
        self.rng, self.breadth = rng, p["breadth"]
        self.dict_rate, self.share_rate = p["dict_rate"], p["share_rate"]

    def leaf(self):
        rng = self.rng
        r = rng.below(20)
        if r < 12:
            return 1000 + rng.below(1 << 30)
        if r < 17:
            return LETTERS[:1 + rng.below(24)]
        return rng.double()

    def build(self, depth):
        if depth == 0:
            return self.leaf()
        rng = self.rng
        is_dict = rng.double() < self.dict_rate
        c = {} if is_dict else []
        prev = None
        for j in range(self.breadth):
            child = prev if j > 0 and rng.double() < self.share_rate else self.build(depth - 1)
            prev = child
            if is_dict:
                c[key_of(j)] = child
            else:
                c.append(child)
        return c


def run(p, seed):
    n = int(5000.0 * p["scale"])
    do_shallow, do_deep = p["copy"] != "deep", p["copy"] != "shallow"
    depth = p["depth"]
    rng = Rng(seed)
    below = rng.below
    b = Builder(rng, p)
    width = p["breadth"]
    ops = h = seen = unseen = 0
    orig = [b.build(depth - 1) for _ in range(width)]
    s = d = None
    for i in range(n):
        if do_shallow:
            s = copy.copy(orig)
            ops += 1
            c = orig[below(width)]
            if not is_atomic(c):
                s2 = copy.copy(c)                 # list.copy() or dict.copy()
                ops += 1
        if do_deep:
            memo = {}
            d = copy.deepcopy(orig, memo)
            ops += len(memo) - 1                  # one entry per container copied, + memo[id(memo)]
            memo = None
        j = below(width)
        c = orig[j]
        if not is_atomic(c):
            v = 99 + i
            if type(c) is list:
                c[0] = v
            else:
                c[key_of(0)] = v
            if do_shallow:
                seen += s[j] is c
            if do_deep:
                unseen += d[j] is not c
        if below(16) == 0:
            k = below(width)
            orig[k] = b.build(depth - 1)
    h = whash(h, orig, depth)
    if do_shallow:
        h = whash(h, s, depth)
    if do_deep:
        h = whash(h, d, depth)
        h = mix(h, d == orig)
    h = mix(mix(h, seen), unseen)
    return ops, h, 0
