"""workloads/python/dicts.py - twin of workloads/dicts.c: dict churn
through the table's resizes, a dict of lists, instance __dict__s."""
from gcbrng import Rng, mix, whash

OPS_UNIT = "dict operations"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("keys", int, "4096", 1, 1 << 26, None),
    ("delete_rate", float, "0.3", 0, 1, None),
    ("reset_every", int, "100000", 1, 1e12, None),
    ("groups", int, "256", 1, 1 << 24, None),
    ("group_max", int, "64", 1, 1 << 24, None),
    ("record_every", int, "4", 1, 1e9, None),
    ("records", int, "1024", 1, 1 << 24, None),
    ("attrs", int, "6", 0, 64, None),
]
_MISSING = object()


class Record:
    pass


def run(p, seed):
    n = int(500000.0 * p["scale"])
    n_keys, delete_rate, reset_every = p["keys"], p["delete_rate"], p["reset_every"]
    n_groups, group_max = p["groups"], p["group_max"]
    record_every, n_records, attrs = p["record_every"], p["records"], p["attrs"]
    names = [__import__("sys").intern("a%d" % a) for a in range(attrs)]
    rng = Rng(seed)
    below, double = rng.below, rng.double
    ops = h = 0
    keys = ["key%d" % k if k % 3 else 1000 + 7919 * k for k in range(n_keys)]
    d, groups = {}, {}
    records = [None] * n_records
    for i in range(n):
        k = keys[below(n_keys)]
        if double() < delete_rate:
            h = mix(h, d.pop(k, _MISSING) is not _MISSING)
        elif k in d:
            d[k] = d[k] + 1
        else:
            d[k] = 1000 + i
        ops += 1
        gk = below(n_groups)
        g = groups.get(gk)
        if g is None:
            g = groups[gk] = []
        g.append(1000 + i)
        if len(g) >= group_max:
            h = whash(h, g, 1)
            del groups[gk]
        ops += 1
        if i % record_every == 0:
            o = Record()
            for a in range(attrs):
                setattr(o, names[a], 1000 + i + a)
            records[below(n_records)] = o
            ops += attrs
        if i % reset_every == reset_every - 1:
            h = mix(h, len(d))
            d = {}
    h = whash(h, d, 1)
    h = whash(h, groups, 2)
    h = whash(h, records, 3)
    return ops, h, 0
