"""Grade a class, one straight pipeline: collect → screen → run → store → report.

`grade_class` is what `mlsd grade` runs. Every submission is one `Submission` record that the
stages fill in turn:

1. collect (`collect.py`): the files in a folder or zip, one record per student and step;
2. screen (`screen.py`): a notebook of this step, its locked cells restored, or rejected;
3. run (`job.py`): autograded in a sandbox on a pool of workers (threads here, or a Dask
   cluster); workers only compute;
4. store (`store.py`): the main process writes the files, the gradebook and the grading record,
   one submission after another in a fixed order, so the results are the same with one worker
   or fifty, and a bad submission can only ever cost its own points;
5. report (`report.py`): each learner's feedback page as its submission is stored, then the
   CSV and the summary table.

`write_feedback` is stage 5 alone, after manual grading.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..authoring.release import load_config
from ..course import steps as course_steps
from . import collect, gradebook, recheck, report, screen, store
from .gradebook import Step
from .job import Task, run
from .record import Status, Submission
from .sandbox import Limits


@dataclass
class ClassReport:
    submissions: list[Submission]  # sorted by step, then student
    csv: Path
    ignored: list[str]  # files that could not be attributed to a student and a step
    seconds: float

    @property
    def ok(self) -> bool:
        """False only when grading itself failed, never because of a learner's notebook."""
        return not any(s.status is Status.ERROR for s in self.submissions)


def grade_class(
    source: Path | str,
    *,
    steps: list[str] | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    scheduler: str | None = None,
    limits: Limits | None = None,
    cell_timeout: int | None = None,
    preset: str | None = None,
    config_file: Path | None = None,
    csv: Path | None = None,
    progress: bool = True,
    variants: bool = False,
    out=None,
) -> ClassReport:
    """Grade every submission found in `source` and write gradebook, feedback and CSV.

    source: a folder in nbgrader's layout (`<student>/<step>/<notebook>.ipynb`), a flat folder
        of files named by student and step (an LMS export), or a zip of either.
    steps: the steps to grade (default: every step somebody handed in).
    workers: size of the local pool (default: one per core); ignored with `executor`.
    executor: any `concurrent.futures.Executor` to grade on (it is not shut down here).
    scheduler: the address of a Dask distributed scheduler (`tcp://host:8786`) to grade on.
    limits: per-submission sandbox limits (wall clock, memory, CPU, network).
    cell_timeout: per-cell limit in seconds (default: the configuration's `Execute.timeout`).
    preset: the click-log preset notebooks load (default: $MLSD_PRESET, else "default").
    config_file: the nbgrader configuration (default: the course's grader/nbgrader_config.py).
    csv: where to write the grades (default: grader/grades.csv beside the gradebook).
    variants: grade each submission on its author's own log (the seed their id derives, as
        `mlsd lab --learner <id>` gives it), generated here once; the CSV records the seed.
    out: where the summary table goes (default: standard output).
    """
    from ..clicklog.data import ensure_log, resolve_preset

    started = time.perf_counter()
    out = out or sys.stdout
    limits = limits or Limits()
    config = load_config(config_file)
    warning = timeout_warning(limits.wall_clock,
                              cell_timeout or config.Execute.get("timeout", None))
    if warning:
        print(warning, file=out)
    root = Path(config.CourseDirectory.root)
    source_dir = root / config.CourseDirectory.source_directory
    known = course_steps(source_dir)
    unknown = sorted(set(steps or []) - set(known))
    if unknown:
        raise ValueError(f"no such step: {', '.join(unknown)} (the course has {', '.join(known)})")
    preset = resolve_preset(preset)
    ensure_log(preset, progress=progress)  # generated once here, read-only in every sandbox

    scratch = Path(tempfile.mkdtemp(prefix="mlsd-grade-"))
    try:
        # 1. collect
        found = collect.collect(Path(source), steps or known, scratch, every_step=bool(steps))
        subs = sorted(found.found, key=lambda s: (s.step, s.student))  # the order of writing
        if variants:
            _own_logs(subs, preset, progress)
        # what every job of a step shares
        graded = _record_steps(config, config_file, sorted({s.step for s in subs}))
        tasks = _tasks(config, graded, preset=preset, limits=limits, variants=variants,
                       cell_timeout=cell_timeout,
                       hide=(Path(source).resolve(), root.resolve(), scratch),
                       threads=1 if executor or scheduler else
                       max(1, (os.cpu_count() or 1) // (workers or os.cpu_count() or 1)))
        others = {s: set(gradebook.source_ids(source_dir / s / f"{s}.ipynb")) for s in known}
        record, copy_in = store.read_record(config), not _in_place(config, source)
        with gradebook.connect(config) as gb, _progress(subs, progress) as bar:
            # 4 and 5 for each submission in order; 2 hands the runnable ones to 3
            writer = _InOrder(subs, lambda sub: _store_and_report(
                gb, config, sub, graded[sub.step], record, copy_in=copy_in))
            runnable = _screened(subs, graded, others, writer.add)
            for sub in _run(runnable, tasks, workers=workers, executor=executor,
                            scheduler=scheduler):
                writer.add(sub)
                bar.update()
        store.write_record(config, record)
        csv_path = report.write_csv(config, csv, record, batch=subs)  # 5, for the class
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    result = ClassReport(subs, csv_path, found.ignored, time.perf_counter() - started)
    report.print_table(result.submissions, result.seconds, result.csv, result.ignored, out)
    return result


class _InOrder:
    """Hands each submission on in the fixed order, as far as the results have arrived, so the
    course's files and gradebook are the same whatever order the pool finished in."""

    def __init__(self, subs: list[Submission], write):
        self.subs, self.write, self.arrived, self.next = subs, write, {}, 0

    def add(self, sub: Submission) -> None:
        self.arrived[sub.key] = sub
        while self.next < len(self.subs) and self.subs[self.next].key in self.arrived:
            sub = self.subs[self.next] = self.arrived.pop(self.subs[self.next].key)
            self.write(sub)
            self.next += 1


def _screened(subs: list[Submission], steps: dict[str, Step], others: dict[str, set[str]],
              done):
    """Stage 2: screen each submission; the runnable ones go on to the pool at once, the
    others (missing, rejected) straight to `done`."""
    for sub in subs:
        if sub.status is None:
            screen.screen(sub, steps[sub.step], others)
        if sub.status is None:
            yield sub
        else:
            done(sub)


def _store_and_report(gb, config, sub: Submission, step: Step, record: dict, *,
                      copy_in: bool) -> None:
    """Stages 4 and 5 for one submission."""
    store.store(gb, config, sub, step, copy_in=copy_in)
    store.note(record, sub)
    if sub.status.stored:
        report.write_page(gb, config, sub.student, step, sub.reasons)
    store.fill_points(gb, sub)
    sub.autograded = sub.notebook = None  # written: free the text


def _own_logs(subs: list[Submission], preset: str, progress: bool) -> None:
    """--variants: each author's log generated once here (read-only in the sandboxes) and its
    seed kept with each of their submissions."""
    from ..clicklog.data import ensure_log, learner_seed

    for sub in subs:
        sub.seed = learner_seed(sub.student, preset)
    for student in sorted({s.student for s in subs if s.path is not None}):
        ensure_log(preset, progress=progress, learner=student)


def _record_steps(config, config_file: Path | None, names: list[str]) -> dict[str, Step]:
    """The steps handed in, as the gradebook records them (recorded first if need be)."""
    for name in names:
        if not gradebook.has_assignment(config, name):
            gradebook.record_assignment(config_file, name)
    return {name: gradebook.step(config, name) for name in names}


def _in_place(config, source) -> bool:
    """The class is graded where it lies, in the course's own submitted/ (nbgrader collect)."""
    submitted = (Path(config.CourseDirectory.root)
                 / config.CourseDirectory.submitted_directory).resolve()
    src = Path(source).resolve()
    return src == submitted or submitted in src.parents


@contextlib.contextmanager
def _progress(subs: list[Submission], shown: bool):
    from tqdm import tqdm

    bar = tqdm(total=sum(s.path is not None for s in subs), desc="grading", unit="notebook",
               disable=not shown, file=sys.stderr)
    try:
        yield bar
        bar.update(bar.total - bar.n)  # the rejected ones, screened without running
    finally:
        bar.close()


def write_feedback(*, config_file: Path | None = None, csv: Path | None = None) -> Path:
    """Stage 5 alone: rewrite every feedback page and the CSV from the gradebook, as they
    stand after manual grading; nothing is executed again. Returns the CSV's path."""
    config = load_config(config_file)
    record = store.read_record(config)
    steps: dict[str, Step] = {}
    with gradebook.connect(config) as gb:
        for student in gb.students:
            for sub in gb.student_submissions(student.id):
                name = sub.assignment.name
                if name not in steps:
                    steps[name] = gradebook.step(config, name)
                notes = record.get(store.record_key(student.id, name), {}).get("reasons", [])
                report.write_page(gb, config, student.id, steps[name], notes)
    return report.write_csv(config, csv, record)


def graded_rows(config, student: str, step: str):
    """(rows, late penalty) of one graded notebook, as its feedback page shows them."""
    with gradebook.connect(config) as gb:
        return report.feedback_table(gb, config, student, gradebook.step(config, step))


def timeout_warning(wall_clock: float | None, cell_timeout: float | None) -> str | None:
    """A per-cell limit too close to the notebook's: a slow cell then ends the whole notebook,
    which leaves nothing to score, where an interrupted cell costs one exercise."""
    if not wall_clock or not cell_timeout or cell_timeout + 30 < wall_clock:
        return None
    return (f"warning: the per-cell limit ({cell_timeout:g} s) leaves 30 s or less of the "
            f"notebook's --timeout ({wall_clock:g} s): a cell that runs long will stop the "
            "whole notebook, which then scores 0; raise --timeout or lower --cell-timeout")


def _tasks(config, steps: dict[str, Step], *, hide: tuple[Path, ...], **settings
           ) -> dict[str, Task]:
    """What every job of each step shares: its gradebook template, its other files and the
    plan of its re-check."""
    import json

    source_dir = Path(config.CourseDirectory.root) / config.CourseDirectory.source_directory
    empty = gradebook.empty(config) if steps else None
    tasks = {}
    for name, step in steps.items():
        source = json.loads((source_dir / name / f"{name}.ipynb").read_text())
        tasks[name] = Task(step=name, gradebook=gradebook.template(config, name, empty),
                           config=config, files=_step_files(source_dir / name, config),
                           plan=tuple(recheck.plan(source, step.cells)),
                           hide=tuple(sorted({str(p) for p in hide})), **settings)
    return tasks


def _step_files(folder: Path, config) -> tuple[tuple[str, bytes], ...]:
    """The step's files other than notebooks, which nbgrader copies beside each submission."""
    ignore = list(config.CourseDirectory.get("ignore", [])) + ["*.ipynb"]
    files = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(fnmatch.fnmatch(part, pat) for part in rel.parts
                                   for pat in ignore):
            files.append((str(rel), p.read_bytes()))
    return tuple(files)


def _run(subs, tasks: dict[str, Task], *, workers, executor, scheduler):
    """Hand each submission to the pool as it comes, then yield each as it completes,
    whatever pool runs them."""
    client = None
    own = executor is None
    if executor is None and scheduler:
        from distributed import Client

        client = Client(scheduler)
        executor = client.get_executor(pure=False)
    elif executor is None:
        executor = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1)
    try:
        futures = {executor.submit(run, sub, tasks[sub.step]): sub for sub in subs}
        for future in as_completed(futures):
            sub = futures[future]
            try:
                yield future.result()
            except Exception as err:  # the worker, not the notebook, failed
                yield sub.done(Status.ERROR,
                               f"the grading worker failed: {type(err).__name__}: {err}")
    finally:
        if own:
            executor.shutdown(wait=True)
        if client is not None:
            client.close()
