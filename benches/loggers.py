"""CPython's side of benches/loggers.rs: the same loggers made and changed with `logging`.

    python3 loggers.py make COUNT
    python3 loggers.py change COUNT CHANGES

Prints `key value` lines, as the Rust child does.
"""

import logging
import resource
import sys
import time

CONNECTIONS = 1000
TENANT_AFTER = 10


def tenants(count):
    return max(1, -(-count // CONNECTIONS))


def connection(i, count):
    n = tenants(count)
    tenant, conn = i % n, i // n
    own = f"svc.tenant{tenant}" if conn + 1 == TENANT_AFTER else None
    return f"svc.tenant{tenant}.conn{conn}", own


def make_all(count, on_each=None):
    logging.getLogger("svc")
    for i in range(count):
        name, own = connection(i, count)
        logging.getLogger(name)
        if own is not None:
            logging.getLogger(own)
        if on_each is not None:
            on_each(i)


def make(count):
    tenth = max(1, count // 10)
    tenths = []
    start = time.perf_counter()
    at = [start]

    def on_each(i):
        if (i + 1) % tenth == 0:
            now = time.perf_counter()
            tenths.append((now - at[0]) * 1e6 / tenth)
            at[0] = now

    make_all(count, on_each)
    print("total_s", time.perf_counter() - start)
    print("first_us", tenths[0] if tenths else 0)
    print("last_us", tenths[-1] if tenths else 0)
    print("peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def micros(f):
    start = time.perf_counter()
    f()
    return (time.perf_counter() - start) * 1e6


def median(samples):
    samples = sorted(samples)
    return samples[len(samples) // 2]


def change(count, changes):
    make_all(count)
    tenant = logging.getLogger(f"svc.tenant{tenants(count) // 2}")
    leaf = logging.getLogger("svc.tenant1.conn1")
    levels = [logging.DEBUG, logging.INFO]
    for key, logger in [("root_us", logging.getLogger()), ("tenant_us", tenant), ("leaf_us", leaf)]:
        samples = [micros(lambda n=n: logger.setLevel(levels[n % 2])) for n in range(changes)]
        print(key, median(samples))
    handler = logging.NullHandler()
    root = logging.getLogger()
    added, removed = [], []
    for _ in range(changes):
        added.append(micros(lambda: root.addHandler(handler)))
        removed.append(micros(lambda: root.removeHandler(handler)))
    print("add_us", median(added))
    print("remove_us", median(removed))


def main():
    scenario, count = sys.argv[1], int(sys.argv[2])
    if scenario == "make":
        make(count)
    elif scenario == "change":
        change(count, int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown scenario {scenario}")


if __name__ == "__main__":
    main()
