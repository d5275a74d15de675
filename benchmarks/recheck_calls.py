"""What one call to a learner's function costs in the re-check, against calling it in place.

    .venv/bin/python benchmarks/recheck_calls.py [--calls 20000]

The re-check (src/mlsd/grading/recheck.py) calls the learner's functions in a second process;
a hidden test may call one thousands of times (step 3's `hash_bucket`, step 6's `lookup`), so
the round trip of a call is much of a notebook's re-check. Three kinds of call, each timed in
the same process and through `recheck.Answers`:

- a string in, an int out (a hash bucket);
- a store of 400 series, given by a given cell (it travels by name), a key and a time;
- a table of 10,000 rows passed by value (it travels as bytes), a float out.

Prints microseconds per call and the raw round trip of a pipe between two processes here, the
floor of any call.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np
import pandas as pd

from mlsd.grading import recheck

GIVEN = """
import hashlib
import numpy as np
import pandas as pd

store = {k: pd.Series(np.arange(20.0), index=pd.date_range("2026-03-01", periods=20, freq="h"))
         for k in range(400)}
"""
ANSWERS = """
def bucket(value, n):
    return int.from_bytes(hashlib.md5(str(value).encode()).digest()[:8], "big") % n

def lookup(store, key, at):
    values = store.get(key)
    if values is None:
        return float("nan")
    written = values.index.searchsorted(at, side="left")
    return float(values.iloc[written - 1]) if written else float("nan")

def mean_ctr(table):
    return float(table["label"].mean())
"""


def pipe_round_trip(n: int) -> float:
    down_r, down_w = os.pipe()
    up_r, up_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(down_w)
        while data := os.read(down_r, 100):
            os.write(up_w, data)
        os._exit(0)
    os.close(down_r)
    os.close(up_w)
    started = time.perf_counter()
    for _ in range(n):
        os.write(down_w, b"x" * 50)
        os.read(up_r, 100)
    seconds = time.perf_counter() - started
    os.close(down_w)
    os.waitpid(pid, 0)
    return seconds / n


def timed(function, calls: list[tuple]) -> float:
    started = time.perf_counter()
    for args in calls:
        function(*args)
    return (time.perf_counter() - started) / len(calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    n = parser.parse_args().calls
    namespace: dict = {}
    exec(GIVEN, namespace)  # the given cell: what it binds travels by name
    exec(ANSWERS, namespace)  # the same functions, called in place for comparison
    answers = recheck.Answers([("given", GIVEN + ANSWERS)], 60, tempfile.mkdtemp())
    try:
        answers.run_to(0)
        answers.remember(namespace, {})
        rng = np.random.default_rng(0)
        at = pd.Timestamp("2026-03-01 05:30")
        table = pd.DataFrame({"label": rng.integers(0, 2, 10_000), "x": rng.random(10_000)})
        kinds = {
            "string in, int out": ("bucket", [(f"user_{i}", 100) for i in range(n)]),
            "store by name, key, time": ("lookup", [(namespace["store"], int(k), at)
                                                    for k in rng.integers(0, 400, n)]),
            "10,000-row table by value": ("mean_ctr", [(table,)] * max(n // 10, 1)),
        }
        print(f"pipe round trip between two processes: {pipe_round_trip(n) * 1e6:.0f} us\n")
        print("| call | in place, us | through the re-check, us |")
        print("|---|---:|---:|")
        for label, (name, calls) in kinds.items():
            local = timed(namespace[name], calls)
            remote = timed(answers.proxy(name), calls)
            print(f"| {label} | {local * 1e6:.1f} | {remote * 1e6:.0f} |")
    finally:
        answers.stop()


if __name__ == "__main__":
    main()
