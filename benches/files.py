"""CPython's side of benches/files.rs: the same record and layout through `logging`.

    python3 files.py SCENARIO RECORDS DIR

Prints the nanoseconds per record and the records lost, as the Rust subjects do.
"""

import logging
import logging.handlers
import os
import queue
import sys
import time

LAYOUT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
PATH = "/api/users"


class Counting:
    """A stream that discards what it is given and counts it."""

    def __init__(self):
        self.chars = 0

    def write(self, text):
        self.chars += len(text)

    def flush(self):
        pass


def lines_in(path):
    with open(path, "rb") as f:
        return f.read().count(b"\n")


def main():
    scenario, records, directory = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    path = os.path.join(directory, "python.log")
    logger = logging.getLogger("app.db")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    formatter = logging.Formatter(LAYOUT)
    listener = None
    if scenario == "sink":
        sink = Counting()
        handler = logging.StreamHandler(sink)
    elif scenario == "file":
        handler = logging.FileHandler(path)
    elif scenario == "queue":
        target = logging.FileHandler(path)
        target.setFormatter(formatter)
        q = queue.Queue()
        handler = logging.handlers.QueueHandler(q)
        listener = logging.handlers.QueueListener(q, target)
        listener.start()
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    handler.setFormatter(formatter)
    logger.addHandler(handler)

    # Untimed first, as the Rust children log for 50 ms (but for the queue).
    warmed = 0
    if scenario != "queue" and records >= 5000:
        until = time.perf_counter_ns() + 50_000_000
        while time.perf_counter_ns() < until:
            for i in range(100):
                logger.info("request %s took %d ms", PATH, i)
            warmed += 100

    start = time.perf_counter_ns()
    for i in range(records):
        logger.info("request %s took %d ms", PATH, i)
    if listener is not None:
        listener.stop()
    handler.flush()
    elapsed = time.perf_counter_ns() - start

    expected = warmed + records
    written = expected if scenario == "sink" else lines_in(path)
    print(elapsed / records, expected - written)


if __name__ == "__main__":
    main()
