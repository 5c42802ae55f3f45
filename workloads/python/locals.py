"""workloads/python/locals.py - twin of workloads/locals.c: local rebinding
and argument passing over existing objects.  The C workload rebinds
`stores` times per iteration round seven locals (y = x; z = y; ...); a
Python loop cannot name a variable number of locals, so the loop body is
generated once from the parameters (straight-line stores into seven real
local variables, as the bytecode of the program with that many
statements would be) before the timed part runs."""
from gcbrng import Rng, mix

OPS_UNIT = "local stores"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("pool", int, "100000", 1, 1e8, None),
    ("stores", int, "16", 1, 1e6, None),
    ("call_every", int, "4", 1, 1e9, None),
    ("alloc_every", int, "16", 1, 1e9, None),
]
NALIASES = 7


def value_of(o):
    t = type(o)
    if t is int:
        return o
    if t is float:
        return int(o * 8)
    if t is str:
        return len(o) * 131 + (ord(o[0]) if o else 0)
    if t is tuple:
        return len(o) * 7 + value_of(o[0])
    return 0


def f(u, v):
    return value_of(u) ^ value_of(v)


def make(rng, i):
    r = rng.below(4)
    if r == 0:
        return 1000 + i
    if r == 1:
        return float(i) + 0.25
    if r == 2:
        return "v%d" % i
    return (2000 + i, i % 200)


LOOP = '''
def loop(n, objs, pool, call_every, alloc_every, below, h):
    a0 = a1 = a2 = a3 = a4 = a5 = a6 = None
    ops = 0
    for i in range(n):
        x = objs[below(pool)]
{stores}
        ops += {stores_n} + 1
        if i % call_every == 0:
            h = mix(h, f(x, a3))
            ops += 2
        if i % alloc_every == 0:
            objs[below(pool)] = float(i)
        h = mix(h, value_of({last}))
    return ops, h
'''


def gen_loop(stores):
    lines, src = [], "x"
    for s in range(stores):
        dst = "a%d" % (s % NALIASES)
        lines.append("        %s = %s" % (dst, src))
        src = dst
    code = LOOP.format(stores="\n".join(lines), stores_n=stores, last=src)
    env = {"mix": mix, "f": f, "value_of": value_of}
    exec(compile(code, "<locals loop, stores=%d>" % stores, "exec"), env)
    return env["loop"]


def run(p, seed):
    n = int(2000000.0 * p["scale"])
    pool = p["pool"]
    loop = gen_loop(p["stores"])
    rng = Rng(seed)
    objs = []
    for i in range(pool):
        objs.append(make(rng, i))
    ops, h = loop(n, objs, pool, p["call_every"], p["alloc_every"], rng.below, 0)
    for j in range(0, len(objs), 97):
        h = mix(h, value_of(objs[j]))
    return ops, h, 0
