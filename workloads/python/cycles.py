"""workloads/python/cycles.py - twin of workloads/cycles.c: the seed notes'
A/B cycle, pyperformance gc_collect's rings of Nodes and self-referencing
lists, dropped while the program runs, with gc.collect() after each round.

cyclic_garbage_objects is the C workload's count under its default
instance layout (3.13: attributes inline, no __dict__ object): 3 objects
per cyclic pair (its two instances and the payload int), 1 per ring node,
2 per self-referencing list.  CPython 3.11+ keeps small instances'
attributes inline too, so these are also the interpreter's own counts.
(Under the C side's -p instance_layout=combined a pair is 5 objects and
a node 2; the twin has no such parameter.)"""
import gc

from gcbrng import Rng, mix

OPS_UNIT = "pairs, ring nodes and self-referencing lists created"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("cycle_rate", float, "1", 0, 1, None),
    ("keep_every", int, "100", 1, 1e9, None),
    ("ring_every", int, "5000", 1, 1e12, None),
    ("rings", int, "100", 0, 1e9, None),
    ("ring_len", int, "21", 1, 1e9, None),
    ("selfrefs", int, "100", 0, 1e9, None),
    ("collect", int, "1", 0, 1, None),
]
OBJECTS_PER_PAIR, OBJECTS_PER_NODE, OBJECTS_PER_SELFREF = 3, 1, 2


class A:
    def __init__(self):
        self.b = None


class B:
    def __init__(self):
        self.a = None


class Node:
    def __init__(self):
        self.next = None
        self.prev = None


def ring_round(p, rng, st):
    """One gc_collect round; st = [ops, h]; returns the cyclic objects dropped."""
    cycle_rate, ring_len = p["cycle_rate"], p["ring_len"]
    double = rng.double
    cyclic = 0
    all_cycles = []
    for r in range(p["rings"]):
        is_cycle = double() < cycle_rate
        node = Node()
        all_cycles.append(node)
        cur = node
        for _ in range(ring_len - 1):
            nxt = Node()
            cur.next = nxt
            if is_cycle:
                nxt.prev = cur
            cur = nxt
        head = all_cycles[r]
        if is_cycle:
            cur.next = head
            head.prev = cur
            cyclic += ring_len * OBJECTS_PER_NODE
        steps = 0                               # walk: a ring comes back to its head
        o = head
        while True:
            o = o.next
            steps += 1
            if o is None or o is head:
                break
        st[1] = mix(st[1], steps * 2 + (o is head))
        st[0] += ring_len
    cur = nxt = node = None
    for k in range(p["selfrefs"]):
        is_cycle = double() < cycle_rate
        l = []
        all_cycles.append(l)
        l.append(1000 + k)
        l.append(l if is_cycle else None)
        cyclic += OBJECTS_PER_SELFREF if is_cycle else 0
        st[1] = mix(st[1], l[1] is l)
        st[0] += 1
    l = None
    del all_cycles
    return cyclic


def run(p, seed):
    n = int(200000.0 * p["scale"])
    cycle_rate, keep_every, ring_every = p["cycle_rate"], p["keep_every"], p["ring_every"]
    collect = p["collect"] != 0
    rng = Rng(seed)
    double = rng.double
    keep = []
    cyclic = cyclic_objects = 0
    st = [0, 0]                                 # ops, h
    for i in range(n):
        a = A()
        b = B()
        a.b = b
        is_cycle = double() < cycle_rate
        if is_cycle:
            b.a = a
            cyclic += 1
        a.n = 1000 + i
        if i % keep_every == 0:
            keep.append(a)
        st[1] = mix(st[1], a.n * (3 if is_cycle else 1))
        st[0] += 1
        if i % ring_every == ring_every - 1:
            cyclic_objects += ring_round(p, rng, st)
            if collect:
                gc.collect()
    h = st[1]
    for a in keep:
        back = a.b.a
        h = mix(h, a.n + (7 if back is a else 0))
    return st[0], h, cyclic * OBJECTS_PER_PAIR + cyclic_objects
