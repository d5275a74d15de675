"""Wall time of the README's test command on a fresh clone, part by part.

    .venv/bin/python benchmarks/suite.py [--hog N] [--keep]

Clones the committed HEAD into a temporary folder (with ../shared beside it when present),
then times `make setup-test` (virtual environment, locked install) and the test suite as
`make test` runs it, whose time is split by test file from pytest's JUnit report. The suite
runs its files in parallel (pytest-xdist), so the per-file times add up to more than the
suite's wall time.

`--hog N` keeps N CPU-bound processes running beside the whole run (as `yes > /dev/null`
would), to show that no test depends on how busy the machine is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--keep", action="store_true", help="keep the clone for a look")
    args.add_argument("--hog", type=int, default=0, metavar="N",
                      help="CPU-bound processes to run beside the suite (default: none)")
    opts = args.parse_args()
    base = Path(tempfile.mkdtemp(prefix="mlsd-suite-"))
    counts = {"failures": 1, "errors": 0}
    clone = base / "course"
    private = ("VIRTUAL_ENV", "MLSD_PRESET", "MLSD_DATA_DIR", "MLSD_STEPS")
    env = {k: v for k, v in os.environ.items() if k not in private}
    hogs = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(opts.hog)]
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        if (ROOT.parent / "shared").is_dir():
            (base / "shared").symlink_to(ROOT.parent / "shared")
        rows = [("install (make setup-test)", timed(["make", "setup-test"], clone, env)),
                ("browser (make chromium)", timed(["make", "chromium"], clone, env)),
                ("make setup-test again (nothing to do)",
                 timed(["make", "setup-test"], clone, env))]
        report = base / "junit.xml"
        started = time.perf_counter()
        subprocess.run([str(clone / ".venv" / "bin" / "python"), "-m", "pytest", "-q",
                        f"--junitxml={report}"], cwd=clone, env=env, stdout=subprocess.DEVNULL)
        suite = time.perf_counter() - started
        by_file = defaultdict(float)
        tree = ET.parse(report)
        counts = {k: sum(int(t.get(k, 0)) for t in tree.iter("testsuite"))
                  for k in ("tests", "failures", "errors", "skipped")}
        for case in tree.iter("testcase"):
            by_file[case.get("classname", "").split(".")[-1] or "?"] += float(case.get("time", 0))
        print(f"CPU hogs beside the run: {opts.hog}\n")
        print("| part | seconds |\n|---|---:|")
        for name, seconds in rows:
            print(f"| {name} | {seconds:.1f} |")
        for name, seconds in sorted(by_file.items(), key=lambda kv: -kv[1]):
            print(f"| tests: {name} (runs beside the others) | {seconds:.1f} |")
        print(f"| whole test suite (pytest, wall) | {suite:.1f} |")
        total = rows[0][1] + rows[1][1] + suite
        print(f"| **make test on a fresh clone (install + suite)** | **{total:.1f}** |")
        print("\n" + ", ".join(f"{v} {k}" for k, v in counts.items()))
    finally:
        for hog in hogs:
            hog.kill()
        if not opts.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0 if counts["failures"] + counts["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
