"""Wall time of the README's test command on a fresh clone, part by part.

    .venv/bin/python benchmarks/suite.py [--keep]

Clones the committed HEAD into a temporary folder (with ../shared beside it when present),
then times `make setup` (virtual environment and pinned install), `make data` (the default
log) and the test suite, whose time is split by test file from pytest's JUnit report.
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
    opts = args.parse_args()
    base = Path(tempfile.mkdtemp(prefix="mlsd-suite-"))
    counts = {"failures": 1, "errors": 0}
    clone = base / "course"
    private = ("VIRTUAL_ENV", "MLSD_PRESET", "MLSD_DATA_DIR", "MLSD_STEPS")
    env = {k: v for k, v in os.environ.items() if k not in private}
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        if (ROOT.parent / "shared").is_dir():
            (base / "shared").symlink_to(ROOT.parent / "shared")
        rows = [("install (make setup)", timed(["make", "setup"], clone, env)),
                ("default data (make data)", timed(["make", "data"], clone, env)),
                ("make setup again (nothing to do)", timed(["make", "setup"], clone, env))]
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
        print("| part | seconds |\n|---|---:|")
        for name, seconds in rows:
            print(f"| {name} | {seconds:.1f} |")
        for name, seconds in sorted(by_file.items(), key=lambda kv: -kv[1]):
            print(f"| tests: {name} | {seconds:.1f} |")
        print(f"| whole test suite (pytest) | {suite:.1f} |")
        print(f"| **install + data + suite** | **{rows[0][1] + rows[1][1] + suite:.1f}** |")
        print("\n" + ", ".join(f"{v} {k}" for k, v in counts.items()))
    finally:
        if not opts.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0 if counts["failures"] + counts["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
