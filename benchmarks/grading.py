"""Grading a class: plain `nbgrader autograde` (sequential) against `mlsd grade` (parallel).

    .venv/bin/python benchmarks/grading.py [--students 50] [--workers 2] [--preset tiny]
                                           [--steps 01_requirements 02_framing]

Builds a synthetic class of N students x the chosen steps (default: every step in
solutions/) as nbgrader's `<student>/<step>/<step>.ipynb`, a mix of submissions: half
correct (the solution), three in ten with one plausible wrong answer from
tests/wrong_answers/, one in ten the untouched release, one in ten broken (the kernel exits in
the middle). Two throwaway copies of the course grade the same class on the same machine, one
after the other:

- plain: `nbgrader generate_assignment` then `nbgrader autograde STEP --force` for each step,
  timed from the first autograde to the last (nbgrader grades one submission after another);
- course: `grade_class(FOLDER, workers=W)`, what `mlsd grade FOLDER --workers W` runs
  (sandboxed, W in parallel), timed as a whole, recording the assignments included.

Prints a Markdown table (wall seconds, seconds per notebook, speed-up), checks that both gave
every notebook both could grade the same score, and measures how much faster W CPU-bound
processes run side by side than one after another on this machine, before and after: the
ceiling of any parallel speed-up here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import fmean

import nbformat

from mlsd.grading.record import Status

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import make_course  # noqa: E402 - the suite's own throwaway course
from conftest import wrong_answers as catalogue  # noqa: E402

STOPPED = (Status.KERNEL_DIED, Status.TIMED_OUT)
SPIN = "import time\nt = time.perf_counter()\nx = 0\nfor i in range(20_000_000):\n    x += i\n" \
       "print(time.perf_counter() - t)"


def wrong_answers(step: str) -> list[tuple[str, str]]:
    """Every (cell, code) of the step's catalogue of plausible wrong answers."""
    return [(cell, code) for cell, entry in catalogue(step).items()
            for code in entry["answers"].values()]


def submission(step: str, k: int, released: Path) -> str:
    solution = nbformat.read(ROOT / "solutions" / step / f"{step}.ipynb", as_version=4)
    kind = k % 10
    wrong = wrong_answers(step)
    if kind < 5:
        return nbformat.writes(solution)
    if kind < 8 and wrong:
        cell_id, code = wrong[k % len(wrong)]
        for cell in solution.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == cell_id:
                cell.source = code.strip("\n")
        return nbformat.writes(solution)
    if kind < 9:  # the untouched release (or a step without a catalogue of wrong answers)
        return released.read_text()
    solution.cells.insert(len(solution.cells) // 2,
                          nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    return nbformat.writes(solution)


def build_class(folder: Path, steps: list[str], students: int, release_dir: Path) -> int:
    n = 0
    for s in range(students):
        for step in steps:
            target = folder / f"student{s:03d}" / step / f"{step}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(submission(step, s, release_dir / step / f"{step}.ipynb"))
            n += 1
    return n


def scores(db: Path) -> dict[tuple[str, str], float]:
    """{(student, step): autograded points} straight from an nbgrader gradebook."""
    query = """SELECT sa.student_id, a.name, SUM(COALESCE(g.auto_score, 0))
               FROM grade g JOIN submitted_notebook sn ON g.notebook_id = sn.id
               JOIN submitted_assignment sa ON sn.assignment_id = sa.id
               JOIN assignment a ON sa.assignment_id = a.id
               JOIN grade_cells gc ON g.cell_id = gc.id
               WHERE gc.cell_type = 'code' GROUP BY sa.student_id, a.name"""
    with sqlite3.connect(db) as con:
        return {(s, a): p for s, a, p in con.execute(query)}


def cpu_scaling(workers: int) -> float:
    """How much faster `workers` CPU-bound processes finish than one after another here: the
    ceiling of any parallel speed-up on this machine at this moment (shared hosts vary)."""
    def spin(n):
        procs = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE,
                                  text=True) for _ in range(n)]
        return max(float(p.communicate()[0]) for p in procs)

    alone = spin(1)
    return workers * alone / spin(workers)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--students", type=int, default=50)
    args.add_argument("--workers", type=int, default=2)
    args.add_argument("--preset", default="tiny")
    args.add_argument("--steps", nargs="*")
    args.add_argument("--keep", action="store_true", help="keep the two courses for a look")
    opts = args.parse_args()

    from mlsd import course
    from mlsd.clicklog.data import ensure_log

    steps = opts.steps or course.steps()
    env = {**os.environ, "MLSD_PRESET": opts.preset,
           "PATH": str(BIN) + os.pathsep + os.environ.get("PATH", "")}
    os.environ["MLSD_PRESET"] = opts.preset
    ensure_log(opts.preset, progress=False)
    ceiling = [cpu_scaling(opts.workers)]
    base = Path(tempfile.mkdtemp(prefix="mlsd-bench-grading-"))
    try:
        plain = make_course(base / "plain").parent.parent
        env_plain = {**env, "JUPYTER_CONFIG_PATH": str(plain / "grader")}
        for step in steps:  # the release, also what the class's stubs are made from
            subprocess.run([str(BIN / "nbgrader"), "generate_assignment", step, "--force"],
                           cwd=plain, env=env_plain, check=True, capture_output=True)
        folder = base / "class"
        notebooks = build_class(folder, steps, opts.students, plain / "notebooks")
        shutil.copytree(folder, plain / "grader" / "submitted")

        plain_steps = {}
        for step in steps:
            started = time.perf_counter()
            subprocess.run([str(BIN / "nbgrader"), "autograde", step, "--force"],
                           cwd=plain, env=env_plain, capture_output=True)  # fails on broken ones
            plain_steps[step] = time.perf_counter() - started
        plain_s = sum(plain_steps.values())

        ours_config = make_course(base / "ours")
        started = time.perf_counter()
        report = _grade(folder, ours_config, opts.workers, opts.preset)  # `mlsd grade`
        ours_s = time.perf_counter() - started
        ceiling.append(cpu_scaling(opts.workers))

        a = scores(plain / "grader" / "gradebook.db")
        b = scores(base / "ours" / "grader" / "gradebook.db")
        # a notebook whose kernel stopped half-way: `mlsd grade` scores the test cells that
        # passed before the stop, plain nbgrader none (by design), so they are compared apart
        stopped = {s.key for s in report.submissions if s.status in STOPPED}
        both = sorted(k for k in set(a) & set(b) if k not in stopped)
        differ = [k for k in both if abs(a[k] - b[k]) > 1e-9]
        print(f"\n{opts.students} students x {len(steps)} steps = {notebooks} notebooks, "
              f"preset {opts.preset}, {os.cpu_count()} cores\n")
        print("| grader | workers | wall seconds | seconds per notebook |")
        print("|---|---:|---:|---:|")
        print(f"| `nbgrader autograde` (sequential) | 1 | {plain_s:.1f} | "
              f"{plain_s / notebooks:.2f} |")
        print(f"| `mlsd grade` (sandboxed) | {opts.workers} | {ours_s:.1f} | "
              f"{ours_s / notebooks:.2f} |")
        print(f"\nspeed-up: {plain_s / ours_s:.2f}x; same score for {len(both) - len(differ)} "
              f"of the {len(both)} notebooks both graded in full"
              + (f"; DIFFERENT: {differ[:5]}" if differ else "")
              + f"; {len(stopped)} stopped half-way, scored by `mlsd grade` for the test cells "
              "that passed before the stop")
        print("\n| step | notebooks | plain nbgrader s per notebook | mlsd sandbox s "
              "| of which autograde | of which re-check |")
        print("|---|---:|---:|---:|---:|---:|")
        for step in steps:
            subs = [s for s in report.submissions if s.step == step]
            print(f"| {step} | {len(subs)} | {plain_steps[step] / max(len(subs), 1):.2f} | "
                  f"{fmean([s.seconds for s in subs] or [0.0]):.2f} | "
                  f"{fmean([s.timings.get('autograde', 0.0) for s in subs] or [0.0]):.2f} | "
                  f"{fmean([s.timings.get('recheck', 0.0) for s in subs] or [0.0]):.2f} |")
        print(f"this machine ran {opts.workers} CPU-bound processes "
              f"{ceiling[0]:.2f}x / {ceiling[1]:.2f}x faster than one after another "
              "(before / after): the ceiling of any parallel speed-up here")
        print(json.dumps({"students": opts.students, "steps": steps, "notebooks": notebooks,
                          "plain_s": round(plain_s, 1), "ours_s": round(ours_s, 1),
                          "ratio": round(plain_s / ours_s, 2), "differ": len(differ),
                          "stopped": len(stopped),
                          "cpu_scaling": [round(c, 2) for c in ceiling]}))
        return 1 if differ else 0
    finally:
        if opts.keep:
            print(f"kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def _grade(folder: Path, config: Path, workers: int, preset: str):
    from mlsd.grading.pipeline import grade_class

    with open(os.devnull, "w") as quiet:
        return grade_class(folder, config_file=config, workers=workers, preset=preset,
                           progress=False, out=quiet)


if __name__ == "__main__":
    sys.exit(main())
