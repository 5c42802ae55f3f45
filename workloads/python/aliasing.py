"""workloads/python/aliasing.py - twin of workloads/aliasing.c: names are
references (myListOne/myListTwo, p1/p2, m/n, score/another_score,
`x = None`, `a = 'example'`)."""
from gcbrng import Rng, mix, whash

OPS_UNIT = "lists created"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("list_len", int, "3", 1, 1 << 20, None),
    ("holders", int, "64", 1, 1 << 24, None),
]


def run(p, seed):
    n = int(400000.0 * p["scale"])
    list_len, n_holders = p["list_len"], p["holders"]
    rng = Rng(seed)
    below = rng.below
    ops = h = eq = is_ = 0
    score = 10
    another_score = score
    is_ += another_score is score
    h = mix(h, 1)                   # 10 is immortal: sys.getrefcount(10) is huge
    holders = [None] * n_holders
    ops += 1
    for i in range(n):
        v = 1000 + below(1 << 30)
        myListOne = [v + j for j in range(list_len)]
        myListTwo = myListOne
        myListOne[0] = 44 + i
        is_ += myListTwo[0] is myListOne[0]
        is_ += myListTwo is myListOne
        p1 = [1, 2, 3]
        p2 = p1
        p2 = [1, 2, 3]
        p1[0] = 44
        h = mix(h, p2[0])
        eq += p1 == p2
        n_ = myListTwo
        m = n_
        eq += m == n_
        is_ += m is n_
        m = [v + j for j in range(list_len)]
        m[0] = 44 + i
        eq += m == n_
        is_ += m is n_
        ops += 4
        holders[below(n_holders)] = myListOne
        held = holders[below(n_holders)]
        if held is not None:
            held[below(len(held))] = v
        x = 5
        x = None
        a = 3
        a = "example"
    for j, l in enumerate(holders):
        h = whash(h, l, 1)
        if l is not None:
            for k in range(j):
                if holders[k] is l:
                    h = mix(h, k * 1000003 + j)
                    break
    h = mix(mix(h, eq), is_)
    return ops, h, 0
