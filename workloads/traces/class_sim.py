"""A small class-heavy simulation, for allocation traces: agents with
attributes move on a grid, meet, trade and die; an event heap schedules
them; statistics go to dicts.

    gcbench trace -o sim.gcbtrace -- python3 workloads/traces/class_sim.py [STEPS]

Instances with a handful of attributes, many short-lived tuples (heap
entries, positions), some long-lived agents, a few reference cycles
(agents that remember their partner), deterministic random.Random(1).
"""
import heapq
import random
import sys


class Agent:
    def __init__(self, ident, x, y, wealth):
        self.ident = ident
        self.pos = (x, y)
        self.wealth = wealth
        self.partner = None
        self.log = []

    def move(self, rng, size):
        x, y = self.pos
        self.pos = ((x + rng.randint(-1, 1)) % size, (y + rng.randint(-1, 1)) % size)


class World:
    def __init__(self, size, n, seed=1):
        self.rng = random.Random(seed)
        self.cap = 2 * n
        self.size = size
        self.agents = {i: Agent(i, self.rng.randrange(size), self.rng.randrange(size), 100.0) for i in range(n)}
        self.next_id = n
        self.events = []
        self.stats = {"trades": 0, "births": 0, "deaths": 0}
        for a in self.agents.values():
            heapq.heappush(self.events, (self.rng.random(), a.ident))

    def step(self, now):
        population = list(self.agents.values())
        while self.events and self.events[0][0] < now:
            t, ident = heapq.heappop(self.events)
            a = self.agents.get(ident)
            if a is None:
                continue
            a.move(self.rng, self.size)
            cell = {}
            for b in self.rng.sample(population, min(8, len(population))) + [a]:
                if b.ident in self.agents:
                    cell.setdefault(b.pos, []).append(b)
            for group in cell.values():
                if len(group) > 1:
                    p, q = group[0], group[1]
                    amount = min(p.wealth, q.wealth) * 0.1
                    p.wealth -= amount
                    q.wealth += amount
                    p.partner, q.partner = q, p        # a cycle while both live
                    p.log.append(("trade", q.ident, amount))
                    self.stats["trades"] += 1
            a.wealth *= 0.97                           # living costs
            if a.wealth < 20.0:
                del self.agents[ident]
                a.partner = None
                self.stats["deaths"] += 1
            else:
                heapq.heappush(self.events, (t + self.rng.random(), ident))
            if len(self.agents) < self.cap and self.rng.random() < 0.1:
                b = Agent(self.next_id, self.rng.randrange(self.size), self.rng.randrange(self.size), 50.0)
                self.agents[b.ident] = b
                heapq.heappush(self.events, (t + self.rng.random(), b.ident))
                self.next_id += 1
                self.stats["births"] += 1
            if len(a.log) > 20:
                a.log = a.log[-5:]


def main(steps):
    w = World(size=20, n=300)
    for s in range(1, steps + 1):
        w.step(float(s))
    return w.stats, len(w.agents)


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
