"""A JSON round trip, for allocation traces: build records, dumps, loads,
compare, keep a few.

    gcbench trace -o json.gcbtrace -- python3 workloads/traces/json_roundtrip.py [N]

Dicts with str keys, nested lists, ints, floats and strings of mixed sizes,
one large string per batch (the serialised text, well above pymalloc's
512-byte cutoff), and a parse that rebuilds everything.
"""
import json
import sys


def record(i):
    return {
        "id": i,
        "name": "user%05d" % i,
        "score": (i * 7919 % 1000) / 7.0,
        "tags": ["t%d" % (i % k) for k in range(1, 1 + i % 6)],
        "address": {"street": "%d Main St" % (i % 977), "zip": "%05d" % (i * 31 % 100000)},
        "active": i % 3 == 0,
        "history": [i * j % 97 for j in range(i % 12)],
    }


def main(n, batch=200):
    kept = []
    checksum = 0
    for start in range(0, n, batch):
        records = [record(i) for i in range(start, min(n, start + batch))]
        text = json.dumps(records, sort_keys=True)
        back = json.loads(text)
        assert back == records
        checksum = (checksum * 31 + len(text)) % (1 << 61)
        kept.append(back[len(back) // 2])
        if len(kept) > 50:
            del kept[:10]
    return checksum, len(kept)


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
