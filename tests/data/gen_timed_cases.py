"""Writes tests/data/timed_cases.rs: what CPython's TimedRotatingFileHandler does, for the
timed-rotation test in tests/file_handlers.rs.

Each case builds a handler with delay=True on a missing file (so its first rollover comes
from the clock), logs one record "rN" at each of a list of times with time.time() replaced,
and records the rollover time after each record and the files left at the end with their
contents. Run with CPython 3.11:
`python3 tests/data/gen_timed_cases.py > tests/data/timed_cases.rs`.
"""

import datetime
import logging
import logging.handlers
import os
import shutil
import sys
import tempfile
import time

NOW = [0]
time.time = lambda: NOW[0]

H = 3600
D = 86400

# 2024-03-09 13:30:00 UTC, a Saturday.
SAT = 1709991000


def steps(start, offsets):
    return [start + o for o in offsets]


# (tz, when, interval, backupCount, utc, atTime, start, record times)
CASES = [
    ("UTC", "S", 1, 2, True, None, SAT, steps(SAT, [0, 0, 1, 3, 3, 10, 11])),
    ("UTC", "s", 7, 0, True, None, SAT, steps(SAT, [0, 6, 7, 20, 21, 22, 100])),
    ("UTC", "M", 5, 0, True, None, SAT, steps(SAT, [0, 60, 299, 300, 301, 900, 1000, 3000])),
    ("UTC", "H", 1, 3, True, None, SAT,
     steps(SAT, [0, 1800, 3599, 3600, 7300, 11000, 14600, 36000])),
    ("UTC", "D", 2, 1, True, None, SAT, steps(SAT, [0, D, 2 * D, 2 * D + 1, 500000, 900000])),
    ("UTC", "midnight", 1, 2, True, None, SAT,
     steps(SAT, [0, 10 * H, int(10.5 * H), 11 * H, 3 * D, 4 * D, 5 * D + 30 * 60])),
    ("UTC", "MIDNIGHT", 1, 0, True, (2, 30, 0), SAT,
     steps(SAT, [0, 12 * H, 13 * H, 14 * H, 2 * D, 2 * D + 1])),
    ("UTC", "MIDNIGHT", 1, 0, True, (15, 0, 0), SAT,
     steps(SAT, [0, H, 2 * H, D, D + 2 * H])),
    ("UTC", "midnight", 2, 0, True, None, SAT, steps(SAT, [0, 11 * H, D, 2 * D, 3 * D, 5 * D])),
] + [
    ("UTC", "W%d" % d, 1, 2, True, None, SAT,
     steps(SAT, [0, D, 2 * D, 3 * D, 5 * D, 8 * D, 12 * D, 15 * D, 22 * D]))
    for d in range(7)
] + [
    ("UTC", "W2", 1, 0, True, (6, 0, 0), SAT, steps(SAT, [0, 3 * D, 4 * D, 11 * D])),
    # Across the start (2024-03-10) and the end (2024-11-03) of DST in New York.
    ("America/New_York", "midnight", 1, 0, False, None, 1709899200,  # 2024-03-08 07:00 EST
     steps(1709899200, [0, 6 * H, 12 * H, 18 * H, D, 30 * H, 36 * H, 42 * H, 2 * D, 3 * D])),
    ("America/New_York", "midnight", 1, 0, False, (2, 30, 0), 1709899200,
     steps(1709899200, [0, 12 * H, 19 * H, 20 * H, 21 * H, D + 20 * H, 2 * D + 20 * H, 4 * D])),
    ("America/New_York", "midnight", 1, 0, False, None, 1730462400,  # 2024-11-01 08:00 EDT
     steps(1730462400, [0, 12 * H, 17 * H, D + 16 * H, D + 17 * H, 2 * D + 16 * H,
                        2 * D + 17 * H, 3 * D + 17 * H])),
    ("America/New_York", "H", 1, 0, False, None, 1710046800,  # 2024-03-10 00:00 EST
     steps(1710046800, [0, H, 2 * H, 3 * H, 4 * H])),
    ("America/New_York", "H", 1, 0, False, None, 1730606400,  # 2024-11-03 00:00 EDT
     steps(1730606400, [0, H, 2 * H, 3 * H, 4 * H])),
    ("America/New_York", "W6", 1, 0, False, None, 1709899200,
     steps(1709899200, [0, 2 * D, 3 * D, 9 * D, 10 * D, 17 * D])),
    ("America/New_York", "W0", 1, 0, False, None, 1730462400,
     steps(1730462400, [0, 2 * D, 3 * D, 4 * D, 10 * D, 11 * D])),
    ("America/New_York", "D", 1, 0, False, None, 1709899200,
     steps(1709899200, [0, D, 2 * D, 3 * D])),
    ("America/New_York", "midnight", 1, 0, True, None, 1709899200,
     steps(1709899200, [0, 17 * H, D + 17 * H, 2 * D + 17 * H])),
    # Sydney: DST ends 2024-04-07, starts 2024-10-06.
    ("Australia/Sydney", "midnight", 1, 0, False, None, 1712318400,  # 2024-04-05 23:00 AEDT
     steps(1712318400, [0, H, D, D + 2 * H, 2 * D + 2 * H, 3 * D])),
    ("Australia/Sydney", "W3", 1, 0, False, None, 1727870400,  # 2024-10-02 22:00 AEST
     steps(1727870400, [0, 2 * H, D, 5 * D, 7 * D, 9 * D, 14 * D])),
]


def run(case):
    tz, when, interval, backup, utc, at, start, times = case
    os.environ["TZ"] = tz
    time.tzset()
    d = tempfile.mkdtemp()
    try:
        path = os.path.join(d, "app.log")
        NOW[0] = start
        at_time = datetime.time(*at) if at else None
        h = logging.handlers.TimedRotatingFileHandler(
            path, when=when, interval=interval, backupCount=backup, delay=True, utc=utc,
            atTime=at_time)
        first = h.rolloverAt
        out = []
        for i, t in enumerate(times):
            NOW[0] = t
            rec = logging.LogRecord("t", logging.WARNING, __file__, 1, "r%d" % i, None, None)
            h.emit(rec)
            out.append((t, h.rolloverAt))
        h.close()
        files = []
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name)) as f:
                files.append((name, f.read()))
        return first, out, files
    finally:
        shutil.rmtree(d)


def rs(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    assert sys.version_info[:2] == (3, 11), "expected values come from CPython 3.11"
    print("// Generated by tests/data/gen_timed_cases.py from CPython %s; do not edit."
          % sys.version.split()[0])
    print("const CASES: &[Case] = &[")
    for case in CASES:
        tz, when, interval, backup, utc, at, start, _ = case
        first, out, files = run(case)
        print("    Case {")
        print("        tz: %s," % rs(tz))
        print("        when: %s," % rs(when))
        print("        interval: %d," % interval)
        print("        backup_count: %d," % backup)
        print("        utc: %s," % ("true" if utc else "false"))
        print("        at_time: %s," % ("Some((%d, %d, %d))" % at if at else "None"))
        print("        start: %d," % start)
        print("        first_rollover: %d," % first)
        print("        records: &[%s]," % ", ".join("(%d, %d)" % s for s in out))
        print("        files: &[%s]," % ", ".join("(%s, %s)" % (rs(n), rs(c)) for n, c in files))
        print("    },")
    print("];")


main()
