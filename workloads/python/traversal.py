"""workloads/python/traversal.py - twin of workloads/traversal.c:
pyperformance's gc_traversal, a large live graph every full collection
must traverse, with young garbage between the collections."""
import gc

from gcbrng import mix, whash

OPS_UNIT = "lists created"
PARAMS = [
    ("scale", float, "1", 0.001, 1e6, None),
    ("levels", int, "1000", 1, 1 << 20, None),
    ("copies", int, "1", 1, 1 << 20, None),
    ("churn", int, "12000", 0, 1 << 26, None),
    ("collect", int, "1", 0, 1, None),
]


def run(p, seed):
    rounds = int(150.0 * p["scale"])
    levels, copies, churn = p["levels"], p["copies"], p["churn"]
    collect = p["collect"] != 0
    ops = h = 0
    graphs = []
    for _ in range(copies):
        current_list = []                       # create_recursive_containers, verbatim
        for n in range(levels):
            new_list = [None] * n
            for index in range(n):
                new_list[index] = current_list
            current_list = new_list
            ops += 1
        graphs.append(current_list)
    current_list = new_list = None
    for r in range(rounds):
        tmp = []                                # young garbage, built by append as the C
        for j in range(churn):                  # workload does (item arrays of 4 slots)
            l = []
            tmp.append(l)
            l.append(1000 + r + j)
        l = None
        if churn:
            h = whash(h, tmp[r % churn], 1)
        ops += churn + 1
        tmp = None
        if collect:
            gc.collect()
    for l in graphs:                            # level n holds n references to level n-1
        while True:
            n = len(l)
            first = l[0] if n else None
            same = 0
            for i in range(1, n):
                same += l[i] is first
            h = mix(h, n * 1000003 + same)
            if n == 0:
                break
            l = first
    return ops, h, 0
