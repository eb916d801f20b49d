#!/usr/bin/env python3
"""pass_persist backend for a test "office router" snmpd.

Serves the OIDs listed in a values file the test rewrites at will:

    T0 <epoch seconds>              start of the clock below (default: now)
    <OID> <type> <base> [<rate>]    value = base + rate * elapsed_cs

types: timeticks counter64 counter gauge integer string.  elapsed_cs is the
whole centiseconds since T0, taken afresh when sysUpTime.0 is asked for
(the poller puts it first in every GET) or after a pause of 200 ms between
requests, and held otherwise.  So every varbind of one GET sees the same
instant, however slowly a loaded machine answers a big GET one varbind at
a time, and rates come out exact.
Counters wrap modulo 2^64 / 2^32.  Numeric OIDs only.
"""
import os
import sys
import time

SYSUPTIME = ".1.3.6.1.2.1.1.3.0"
MOD = {"counter64": 1 << 64, "counter": 1 << 32, "timeticks": 1 << 32, "gauge": 1 << 32}


class Values:
    def __init__(self, path):
        self.path = path
        self.mtime = None
        self.t0 = time.time()
        self.table = {}
        self.order = []
        self.stamp = (0.0, 0)
        self.last = 0.0

    def load(self):
        try:
            m = os.stat(self.path).st_mtime_ns
        except OSError:
            return
        if m == self.mtime:
            return
        self.mtime = m
        table, t0 = {}, time.time()
        with open(self.path) as f:
            for line in f:
                p = line.split()
                if not p or p[0].startswith("#"):
                    continue
                if p[0] == "T0":
                    t0 = float(p[1])
                    continue
                rate = int(p[3]) if len(p) > 3 else 0
                base = " ".join(p[2:]) if p[1] == "string" else int(p[2])
                table[p[0]] = (p[1], base, rate)
        self.table, self.t0 = table, t0
        self.order = sorted(table, key=lambda o: [int(x) for x in o.strip(".").split(".")])
        self.last = 0.0  # new values, new clock: the next request takes a stamp

    def request(self, oid):
        """Called once per request, before any value is read."""
        now = time.time()
        if oid == SYSUPTIME or now - self.last > 0.2:
            self.stamp = (now, int((now - self.t0) * 100))
        self.last = now

    def elapsed_cs(self):
        return self.stamp[1]

    def value(self, oid):
        t, base, rate = self.table[oid]
        if t == "string":
            return t, base
        v = base + rate * self.elapsed_cs()
        return t, v % MOD[t] if t in MOD else v

    def next_after(self, oid):
        key = [int(x) for x in oid.strip(".").split(".")]
        for o in self.order:
            if [int(x) for x in o.strip(".").split(".")] > key:
                return o
        return None


def answer(vals, oid):
    if oid is None or oid not in vals.table:
        print("NONE", flush=True)
        return
    t, v = vals.value(oid)
    print(oid)
    print(t)
    print(v, flush=True)


def main():
    vals = Values(sys.argv[1])
    while True:
        cmd = sys.stdin.readline()
        if not cmd:
            return
        cmd = cmd.strip()
        if cmd == "PING":
            print("PONG", flush=True)
            continue
        oid = sys.stdin.readline().strip()
        vals.load()
        vals.request(oid)
        if cmd == "get":
            answer(vals, oid)
        elif cmd == "getnext":
            answer(vals, vals.next_after(oid))
        elif cmd == "set":
            sys.stdin.readline()
            print("not-writable", flush=True)


main()
