"""The course command line: `mlsd data | release | run | check | grade | feedback | lab`.

Each subcommand hands over to one function of the package; this module only parses.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .clicklog.simulate import PRESETS

LEARNER_HELP = ("your learner id (as your instructor grades it): the notebooks load a click log "
                "of your own (default: $MLSD_LEARNER, else the course's log)")


def _data(args) -> int:
    from .clicklog.data import data_dir, generate, log_preset

    path = generate(log_preset(args.preset, args.learner or ""),
                    Path(args.root) if args.root else data_dir(), force=args.force, jobs=args.jobs)
    whose = f" of learner {args.learner!r}" if args.learner else ""
    print(f"The '{args.preset}' click log{whose} is in {path}")
    return 0


def _release(args) -> int:
    from .authoring.release import release

    for path in release(args.steps or None):
        print(f"released {path}")
    return 0


def _run(args) -> int:
    from .authoring.run import build_dir, run_course

    summary = run_course(args.preset, args.steps or None)
    print(f"summary: {build_dir(args.preset) / 'summary.json'}")
    return 0 if summary["ok"] else 1


def _learner(learner: str | None) -> None:
    """A learner id on the command line: the kernels this process starts load that log."""
    if learner is not None:
        os.environ["MLSD_LEARNER"] = learner


def _check(args) -> int:
    from .learner.selfcheck import report, targets

    _learner(args.learner)
    if args.full:
        from .learner.selfcheck import full_report

        return full_report(targets(args.notebooks))
    return report(targets(args.notebooks))


def _grade(args) -> int:
    from .grading.pipeline import grade_class
    from .grading.sandbox import Limits

    limits = Limits(wall_clock=args.timeout, memory_mb=args.memory or None,
                    cpu_seconds=args.cpu or None, network=args.network)
    report = grade_class(args.source, steps=args.step or None, workers=args.workers,
                         scheduler=args.scheduler, limits=limits, cell_timeout=args.cell_timeout,
                         preset=args.preset, csv=args.csv, progress=not args.quiet,
                         variants=args.variants)
    return 0 if report.ok else 1


def _feedback(args) -> int:
    from .grading.pipeline import write_feedback

    print(f"feedback rewritten; grades in {write_feedback(csv=args.csv)}")
    return 0


def _lab(args, extra: list[str]) -> int:
    from .learner.lab import lab_command

    _learner(args.learner)
    command, env = lab_command(extra, instructor=args.instructor)
    os.execvpe(command[0], command, env)  # JupyterLab takes over this process


def parser() -> argparse.ArgumentParser:
    from importlib.metadata import version

    p = argparse.ArgumentParser(prog="mlsd", description="Machine-learning system design course.")
    p.add_argument("--version", action="version", version=f"mlsd {version('mlsd')}")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("data", help="generate a preset of the click log (skipped if current)")
    d.add_argument("--preset", default="default", choices=list(PRESETS))
    d.add_argument("--force", action="store_true", help="regenerate even if the log is current")
    d.add_argument("--jobs", type=int, default=1, help="days generated in parallel")
    d.add_argument("--root", help="folder to write into (default: the course's data/)")
    d.add_argument("--learner", help="the log of this learner id (default: the course's own)")
    d.set_defaults(func=_data)

    r = sub.add_parser("release", help="regenerate notebooks/ from solutions/ with nbgrader")
    r.add_argument("steps", nargs="*", help="steps to release (default: all)")
    r.set_defaults(func=_release)

    x = sub.add_parser("run", help="execute the solution notebooks with papermill")
    x.add_argument("--preset", default="tiny", choices=list(PRESETS))
    x.add_argument("steps", nargs="*", help="steps to run (default: all)")
    x.set_defaults(func=_run)
    c = sub.add_parser("check", help="run your notebooks and report every exercise")
    c.add_argument("notebooks", nargs="*",
                   help="notebook paths or step names (default: every step in notebooks/)")
    c.add_argument("--learner", help=LEARNER_HELP)
    c.add_argument("--full", action="store_true",
                   help="grade with the hidden tests too, as your instructor will (needs the "
                   "course's solutions/); one line per exercise with its points")
    c.set_defaults(func=_check)

    g = sub.add_parser("grade", help="grade a class: a folder or zip of submissions")
    g.add_argument("source", help="<student>/<step>/<step>.ipynb folders, an LMS export "
                   "(files named by student and step), or a zip of either")
    g.add_argument("--step", action="append", help="grade this step (repeat; default: every "
                   "step handed in)")
    g.add_argument("--workers", type=int, help="parallel workers (default: one per core)")
    g.add_argument("--scheduler", help="grade on a Dask cluster: its scheduler's address")
    g.add_argument("--timeout", type=float, default=600,
                   help="seconds for a whole notebook (default: 600)")
    g.add_argument("--cell-timeout", type=int,
                   help="seconds per cell (default: the configuration's Execute.timeout)")
    g.add_argument("--memory", type=int, default=8192,
                   help="MiB of address space per process (default: 8192; 0: no limit)")
    g.add_argument("--cpu", type=int, default=900,
                   help="CPU seconds per process (default: 900; 0: no limit)")
    g.add_argument("--network", action="store_true", help="let notebooks use the network")
    g.add_argument("--preset", choices=list(PRESETS),
                   help="click log the notebooks load (default: $MLSD_PRESET, else default)")
    g.add_argument("--csv", help="where to write the grades (default: grader/grades.csv)")
    g.add_argument("--variants", action="store_true",
                   help="grade each student on their own log (the one `mlsd lab --learner "
                   "<their id>` gives them); the CSV records each seed")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    g.set_defaults(func=_grade)

    fb = sub.add_parser("feedback", help="rewrite feedback pages and grades.csv after manual "
                        "grading (runs nothing)")
    fb.add_argument("--csv", help="where to write the grades (default: grader/grades.csv)")
    fb.set_defaults(func=_feedback)

    lab = sub.add_parser("lab", help="open the course in JupyterLab (other options go to it)")
    lab.add_argument("--instructor", action="store_true",
                     help="serve the repository (solutions/, Formgrader), not notebooks/ only")
    lab.add_argument("--learner", help=LEARNER_HELP)
    lab.set_defaults(func=_lab, passthrough=True)
    return p


def main(argv: list[str] | None = None) -> int:
    args, extra = parser().parse_known_args(argv)
    if extra and not getattr(args, "passthrough", False):
        parser().error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.func(args, extra) if getattr(args, "passthrough", False) else args.func(args)
    except (RuntimeError, ValueError) as err:  # our own errors carry a readable message
        print(f"mlsd {args.command}: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
