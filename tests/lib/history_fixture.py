#!/usr/bin/env python3
"""Builds a history.db for report tests and benchmarks.

The schema is the agent's own (agent/history_schema.h, read through the C
preprocessor), so a fixture cannot drift from what the history writer makes.

  history_fixture.py scenario DB     a small known province (tests/integration/report.sh)
  history_fixture.py bench DB LINES  LINES lines over 2026-Q3, 92 days (tests/bench)
"""
import datetime
import os
import random
import re
import sqlite3
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TZ = datetime.timezone(datetime.timedelta(hours=7))  # Asia/Ho_Chi_Minh, no DST
DAY = 86400


def schema():
    src = '#include "history_schema.h"\nHISTORY_SCHEMA_VERSION\nHISTORY_SCHEMA_SQL\n'
    out = subprocess.run(["cpp", "-P", "-I", os.path.join(TOP, "agent")], input=src,
                         capture_output=True, text=True, check=True).stdout
    version = int(re.search(r"^\s*(\d+)\s*$", out, re.M).group(1))
    sql = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', out))
    return version, sql


def create(path):
    if os.path.exists(path):
        os.unlink(path)
    version, sql = schema()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(sql)
    db.execute(f"PRAGMA user_version={version}")
    db.executemany("INSERT INTO meta VALUES (?,?)", [
        ("province_code", "24"), ("province_name", "Bắc Ninh"), ("timezone", "Asia/Ho_Chi_Minh")])
    return db


def local(y, m, d, h=0, mi=0):
    return int(datetime.datetime(y, m, d, h, mi, tzinfo=TZ).timestamp())


def days(first, n):
    return [(first + datetime.timedelta(days=i)).isoformat() for i in range(n)]


def line_day(o, l, day, kbps, rng):
    avg = int(kbps * 1000 * rng.uniform(0.05, 0.5))
    peak = min(int(avg * rng.uniform(1.5, 3)), kbps * 1000)
    p95 = int(peak * 0.8)
    return (o, l, day, DAY, 0, 0, 0, 0, 12000, 40000, 0, avg, peak, p95, avg // 2, peak // 2,
            p95 // 2, avg * DAY // 8, avg * DAY // 16)


def office_rows(outs):
    """The office outages (line_id 0) the agent records for line outages that
    cut their office off (outage_idx = start, no ticket)."""
    return [(o, 0, start, start, end, dur, cause, None)
            for o, _l, _i, start, end, dur, cause, _t in outs]


def scenario(path):
    """Q3 2026: five offices of province 24 and one of province 01."""
    db = create(path)
    rng = random.Random(7)
    offices = [(1, "CBDTW", "Cục Bưu điện Trung ương", "central", "tier1", "24", None, 2),
               (2, "BN-TU", "Tỉnh ủy Bắc Ninh", "province", "tier1", "24", None, 2),
               (3, "X-DAP", "UBND xã Đáp Cầu", "commune", "tier2", "24", "25882", 1),
               (4, "X-KB", "UBND phường Kinh Bắc", "commune", "tier2", "24", "25885", 1),
               (5, "X-YP", "UBND xã Yên Phong", "commune", "tier2", "24", "25891", 1),
               (9, "HN", "Hà Nội office", "province", "tier2", "01", None, 1)]
    db.executemany("INSERT INTO offices VALUES (?,?,?,?,?,?,?,?,NULL,0)", offices)
    lines = [(o[0], 1, "vnpt", f"VNPT-{o[0]}-1", 20000, "primary") for o in offices]
    lines += [(1, 2, "viettel", "VT-1-2", 50000, "backup"), (2, 2, "viettel", "VT-2-2", 50000,
                                                             "backup")]
    db.executemany("INSERT INTO lines VALUES (?,?,?,?,?,?,0)", lines)
    q3 = days(datetime.date(2026, 7, 1), 92)
    down = {(3, "2026-08-10"): 7200, (5, "2026-09-02"): 86400, (5, "2026-09-03"): 43200}
    for o in offices:
        for d in q3:
            dn = down.get((o[0], d), 0)
            mt = 3600 if (o[0], d) == (4, "2026-07-20") else 0
            db.execute("INSERT INTO office_days VALUES (?,?,?,?,?,0,'compliant','ready',NULL)",
                       (o[0], d, DAY - dn - mt, dn, mt))
    db.executemany("INSERT INTO line_days VALUES (" + ",".join("?" * 19) + ")",
                   [line_day(l[0], l[1], d, l[4], rng) for l in lines for d in q3])
    # Offices 3 and 5 have one line: its outages cut them off; office 2's
    # backup line failing left it on its primary.
    isolating = [
        (3, 1, 1, local(2026, 8, 10, 8), local(2026, 8, 10, 10), 7200, "fiberCut", "VNPT-77"),
        (5, 1, 1, local(2026, 9, 2), local(2026, 9, 3, 12), 129600, "powerLoss", None)]
    db.executemany("INSERT INTO outages VALUES (?,?,?,?,?,?,?,?,0,NULL,NULL)", isolating + [
        (2, 2, 1, local(2026, 6, 30, 22), local(2026, 7, 1, 1), 10800, "cpeFault", "VT-5")] +
        office_rows(isolating))
    db.execute("INSERT INTO reports VALUES (1,0,2,?,1,'ready',NULL)", (local(2026, 9, 20),))
    # The current month for office 1, so a report on it is partial.
    today = datetime.datetime.now(TZ).date()
    for d in days(today.replace(day=1), today.day):
        db.execute("INSERT OR IGNORE INTO office_days VALUES (1,?,?,0,0,0,NULL,NULL,NULL)",
                   (d, DAY))
    db.commit()


def bench(path, nlines):
    """nlines lines over 2026-Q3: two per tier-I office, one per commune."""
    db = create(path)
    rng = random.Random(13)
    q3 = days(datetime.date(2026, 7, 1), 92)
    pairs = nlines // 5
    offices, lines = [], []
    for i in range(1, nlines - pairs + 1):
        tier = "tier1" if i <= pairs else "tier2"
        offices.append((i, f"O{i:05d}", f"Cơ quan số {i}", "commune" if tier == "tier2" else
                        "province", tier, "24", f"{25000 + i}", 2 if tier == "tier1" else 1))
        lines.append((i, 1, "vnpt", f"VNPT-{i}", 20000, "primary"))
        if tier == "tier1":
            lines.append((i, 2, "viettel", f"VT-{i}", 50000, "backup"))
    db.executemany("INSERT INTO offices VALUES (?,?,?,?,?,?,?,?,NULL,0)", offices)
    db.executemany("INSERT INTO lines VALUES (?,?,?,?,?,?,0)", lines)
    rows, outs = [], []
    for o in offices:
        for d in q3:
            dn = rng.choice((0,) * 30 + (600, 3600, 7200))
            rows.append((o[0], d, DAY - dn, dn, 0, 0, "compliant", "ready", None))
            if dn:
                t = local(int(d[:4]), int(d[5:7]), int(d[8:]), 9)
                outs.append((o[0], 1, len(outs), t, t + dn, dn,
                             rng.choice(("powerLoss", "fiberCut", "cpeFault")), None))
    db.executemany("INSERT INTO office_days VALUES (?,?,?,?,?,?,?,?,?)", rows)
    # office_days has each office down then: its outage too
    db.executemany("INSERT INTO outages VALUES (?,?,?,?,?,?,?,?,0,NULL,NULL)",
                   outs + office_rows(outs))
    db.executemany("INSERT INTO line_days VALUES (" + ",".join("?" * 19) + ")",
                   (line_day(l[0], l[1], d, l[4], rng) for l in lines for d in q3))
    db.commit()
    print(f"{len(offices)} offices, {len(lines)} lines, {len(rows)} office_days, "
          f"{len(lines) * len(q3)} line_days, {len(outs)} outages")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "scenario":
        scenario(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "bench":
        bench(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: history_fixture.py scenario DB | bench DB LINES")
