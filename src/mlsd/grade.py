"""Grade a class: find the submissions, autograde each in a sandbox on a pool of workers, and
write the gradebook, the feedback pages and the grades CSV.

`grade_class` is what `mlsd grade` runs. Workers only compute: each autogrades one
submission in a private copy of the course with a throwaway gradebook and hands back the
scores and the autograded notebook. The main process then writes everything, one submission
after another in a fixed order, so the results are the same with one worker or fifty, and a
bad submission can only ever cost its own points.

`autograde` (further down) is the plain nbgrader round trip the test suite uses.
"""

from __future__ import annotations

import csv as csv_module
import json
import os
import pickle
import shutil
import sys
import tempfile
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import feedback_html, gradebook, integrity, recheck, submissions
from .data import separate_build_dir
from .job import STATUS_ERROR, STATUS_GRADED, Job, JobResult, grade_job
from .release import GraderError, api, load_config
from .sandbox import Limits

RECORD = "grading.json"  # beside the gradebook: status and reasons of the last grading


@dataclass(frozen=True)
class CellScore:
    grade_id: str
    cell_type: str  # "code" for autograded tests, "markdown" for written answers
    score: float | None  # None: waits for a manual grade
    max_score: float

    @property
    def autograded(self) -> bool:
        return self.cell_type == "code"


@dataclass
class Outcome:
    """One student's one step, as this grading left it."""

    student: str
    step: str
    status: str  # "graded", "missing", "rejected", "timed out", "kernel died", ... STATUS_ERROR
    reasons: list[str] = field(default_factory=list)
    points: float | None = None
    max_points: float = 0.0
    seconds: float = 0.0
    isolation: tuple[str, ...] = ()
    detail: str = ""


@dataclass
class ClassReport:
    outcomes: list[Outcome]  # sorted by step, then student
    csv: Path
    ignored: list[str]  # files that could not be attributed to a student and a step
    seconds: float

    @property
    def ok(self) -> bool:
        """False only when grading itself failed, never because of a learner's notebook."""
        return not any(o.status == STATUS_ERROR for o in self.outcomes)


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
    import time

    from tqdm import tqdm

    from .course import steps as course_steps
    from .data import ensure_log, learner_seed, resolve_preset

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
        found = submissions.collect(Path(source), steps or known, scratch, every_step=bool(steps))
        chosen = sorted({f.step for f in found.found})
        authors = sorted({f.student for f in found.found if f.path is not None})
        for student in authors if variants else ():  # each log once, read-only in the sandboxes
            ensure_log(preset, progress=progress, learner=student)
        ids = {s: _grade_ids(source_dir / s / f"{s}.ipynb") for s in known}
        per_step = {}
        empty = gradebook.empty(config) if chosen else None
        for step in chosen:
            if not gradebook.has_assignment(config, step):
                gradebook.record_assignment(config_file, step)
            cells = gradebook.cells(config, step)
            source_nb = json.loads((source_dir / step / f"{step}.ipynb").read_text())
            per_step[step] = (cells, gradebook.template(config, step, empty),
                              _step_files(source_dir / step, config),
                              tuple(recheck.plan(source_nb, cells)))
        layout = {s: (per_step[s][0], _order(ids[s], per_step[s][0])) for s in chosen}
        blob = pickle.dumps(config)
        submitted_root = (root / config.CourseDirectory.submitted_directory).resolve()
        src = Path(source).resolve()
        in_place = src == submitted_root or submitted_root in src.parents  # nbgrader collect
        hide = tuple(sorted(str(p) for p in {src, root.resolve(), scratch}))

        outcomes: dict[tuple[str, str], Outcome] = {}
        checked: dict[tuple[str, str], integrity.Checked] = {}
        results: dict[tuple[str, str], JobResult] = {}
        order = sorted(found.found, key=lambda f: (f.step, f.student))  # the order of writing
        other_steps = {s: set(v) for s, v in ids.items()}
        cores = os.cpu_count() or 1
        threads = 1 if executor or scheduler else max(1, cores // (workers or cores))

        def jobs():
            """Check each submission and hand it to the pool at once, so workers start while
            the rest are checked."""
            for f in order:
                key = (f.student, f.step)
                if f.path is None:
                    outcomes[key] = Outcome(f.student, f.step, "missing", list(f.reasons))
                    continue
                cells, template, files, plan = per_step[f.step]
                c = integrity.check(f.path.read_bytes(), f.step, cells, layout[f.step][1],
                                    other_steps)
                checked[key] = c
                c.reasons[:0] = f.reasons
                if c.notebook is None:
                    outcomes[key] = Outcome(f.student, f.step, "rejected", c.reasons)
                    continue
                yield Job(student=f.student, step=f.step, notebook=c.notebook,
                          gradebook=template, config=blob, preset=preset, limits=limits,
                          cell_timeout=cell_timeout, timestamp=f.timestamp, files=files,
                          hide=hide, threads=threads, plan=plan,
                          learner=f.student if variants else None)

        bar = tqdm(total=sum(f.path is not None for f in order), desc="grading",
                   unit="notebook", disable=not progress, file=sys.stderr)
        record = _read_record(config)
        written = 0
        with gradebook.connect(config) as gb:

            def write_ready():
                """Write results in the fixed order, as far as they have arrived."""
                nonlocal written
                while written < len(order):
                    f = order[written]
                    key = (f.student, f.step)
                    if key not in outcomes and key not in results:
                        return
                    outcome = outcomes.get(key) or _outcome(results[key], checked[key])
                    outcomes[key] = outcome
                    _store(gb, config, f, outcome, checked.get(key), results.get(key),
                           layout[f.step][0], copy_in=not in_place)
                    if outcome.status != STATUS_ERROR:
                        record[f"{f.student}/{f.step}"] = {
                            "status": outcome.status, "reasons": outcome.reasons,
                            **({"seed": learner_seed(f.student, preset)} if variants else {})}
                    if outcome.status not in ("missing", STATUS_ERROR):
                        _write_feedback(gb, config, f.student, f.step, outcome.reasons,
                                        *layout[f.step])
                    _fill_points(gb, outcome)
                    results.pop(key, None)  # the notebook's text is written: free it
                    written += 1

            for result in _run(jobs(), workers=workers, executor=executor,
                               scheduler=scheduler):
                results[(result.student, result.step)] = result
                bar.update()
                write_ready()
            bar.update(bar.total - bar.n)  # the rejected ones, checked without running
            write_ready()
        bar.close()
        _write_record(config, record)
        csv_path = export_csv(config, csv, record, batch=list(outcomes.values()))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    report = ClassReport(sorted(outcomes.values(), key=lambda o: (o.step, o.student)), csv_path,
                         found.ignored, time.perf_counter() - started)
    print_summary(report, out)
    return report


def timeout_warning(wall_clock: float | None, cell_timeout: float | None) -> str | None:
    """A per-cell limit too close to the notebook's: a slow cell then ends the whole notebook,
    which leaves nothing to score, where an interrupted cell costs one exercise."""
    if not wall_clock or not cell_timeout or cell_timeout + 30 < wall_clock:
        return None
    return (f"warning: the per-cell limit ({cell_timeout:g} s) leaves 30 s or less of the "
            f"notebook's --timeout ({wall_clock:g} s): a cell that runs long will stop the "
            "whole notebook, which then scores 0; raise --timeout or lower --cell-timeout")


def write_feedback(*, config_file: Path | None = None, csv: Path | None = None) -> Path:
    """Rewrite every feedback page and the CSV from the gradebook, as they stand after
    manual grading; nothing is executed again. Returns the CSV's path."""
    config = load_config(config_file)
    record = _read_record(config)
    layout = {}
    with gradebook.connect(config) as gb:
        for student in gb.students:
            for sub in gb.student_submissions(student.id):
                step = sub.assignment.name
                if step not in layout:
                    layout[step] = _layout(config, step)
                notes = record.get(f"{student.id}/{step}", {}).get("reasons", [])
                _write_feedback(gb, config, student.id, step, notes, *layout[step])
    return export_csv(config, csv, record)


def graded_rows(config, student: str, step: str):
    """(rows, late penalty) of one graded notebook, as its feedback page shows them."""
    with gradebook.connect(config) as gb:
        return feedback_table(gb, config, student, step, *_layout(config, step))


def _layout(config, step: str) -> tuple[dict, list[str]]:
    """A step's cells in the gradebook and their ids in the released order."""
    source_dir = Path(config.CourseDirectory.root) / config.CourseDirectory.source_directory
    cells = gradebook.cells(config, step)
    return cells, _order(_grade_ids(source_dir / step / f"{step}.ipynb"), cells)


# --- running the jobs -------------------------------------------------------------------------

def _run(jobs, *, workers, executor, scheduler):
    """Submit each job as it comes, then yield each result as it completes, whatever pool
    runs them."""
    client = None
    own = executor is None
    if executor is None and scheduler:
        from distributed import Client

        client = Client(scheduler)
        executor = client.get_executor(pure=False)
    elif executor is None:
        executor = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1)
    try:
        futures = {executor.submit(grade_job, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as err:  # the worker, not the notebook, failed
                yield JobResult(job.student, job.step, STATUS_ERROR,
                                (f"the grading worker failed: {type(err).__name__}: {err}",))
    finally:
        if own:
            executor.shutdown(wait=True)
        if client is not None:
            client.close()


def _outcome(result: JobResult, checked: integrity.Checked) -> Outcome:
    return Outcome(result.student, result.step, result.status,
                   list(checked.reasons) + list(result.reasons), seconds=result.seconds,
                   isolation=result.isolation, detail=result.detail)


# --- writing results ----------------------------------------------------------------------

def _dirs(config, student: str, step: str) -> tuple[Path, Path, Path]:
    cd = config.CourseDirectory
    root = Path(cd.root)
    return tuple(root / getattr(cd, d) / student / step for d in
                 ("submitted_directory", "autograded_directory", "feedback_directory"))


def _store(gb, config, found, outcome: Outcome, checked, result: JobResult | None,
           cells: dict, copy_in: bool = True) -> None:
    """Copy the submission in (unless it is graded where it lies, in the course's
    submitted/), write the autograded notebook and the scores."""
    if outcome.status in ("missing", STATUS_ERROR):
        return  # nothing new to record: earlier results stand
    submitted, autograded, _ = _dirs(config, found.student, found.step)
    if copy_in:
        _replace_dir(submitted)
        shutil.copyfile(found.path, submitted / f"{found.step}.ipynb")
        if found.timestamp:
            (submitted / "timestamp.txt").write_text(found.timestamp)
    _replace_dir(autograded)
    if outcome.status == STATUS_GRADED:
        (autograded / f"{found.step}.ipynb").write_text(result.autograded)
        gradebook.save(gb, found.student, found.step, grades=result.grades,
                       comments=result.comments, timestamp=found.timestamp,
                       late_penalty=result.late_penalty)
    elif outcome.status == "rejected":
        shutil.rmtree(autograded)
        gradebook.save(gb, found.student, found.step, grades=None, comments=None,
                       timestamp=found.timestamp)
    else:  # it did not finish: the tests score what ran (job.py), written answers are graded
        ran = result.autograded if result and result.autograded else checked.notebook
        (autograded / f"{found.step}.ipynb").write_text(ran)
        zero = {n: (0.0 if c.cell_type == "code" else None) for n, c in cells.items() if c.grade}
        scored = {n: v for n, v in (result.grades if result else {}).items() if n in zero}
        gradebook.save(gb, found.student, found.step, grades={**zero, **scored}, comments={},
                       timestamp=found.timestamp)


def _replace_dir(path: Path) -> None:
    if path.exists():
        for p in path.rglob("*"):  # nbgrader leaves its outputs read-only
            if p.is_file():
                p.chmod(0o644)
        shutil.rmtree(path)
    path.mkdir(parents=True)


def _scores(gb, student: str, step: str):
    nb = gb.find_submission_notebook(step, step, student)
    scores = {}
    for g in nb.grades:
        base = g.manual_score if g.manual_score is not None else g.auto_score
        scores[g.name] = None if base is None else base + (g.extra_credit or 0)
    comments = {c.name: c.manual_comment for c in nb.comments}
    manual = {g.name for g in nb.grades if g.manual_score is not None}
    return scores, comments, manual, nb.late_submission_penalty or 0.0


def feedback_table(gb, config, student: str, step: str, cells: dict, order: list[str]):
    """(rows, late penalty) of one graded notebook as its feedback shows it, or None when the
    gradebook has no such submission: the one view of a result that pages and checks share."""
    from nbgrader.api import MissingEntry

    _, autograded, _ = _dirs(config, student, step)
    try:
        scores, comments, manual, penalty = _scores(gb, student, step)
    except MissingEntry:
        return None
    notebook = autograded / f"{step}.ipynb"
    text = notebook.read_text() if notebook.exists() else None
    return feedback_html.rows(text, cells, order, scores, comments, manual), penalty


def _write_feedback(gb, config, student: str, step: str, notes: list[str], cells: dict,
                    order: list[str]) -> None:
    found = feedback_table(gb, config, student, step, cells, order)
    if found is None:
        return
    table, penalty = found
    _, _, feedback = _dirs(config, student, step)
    notes = list(notes) + ([f"late submission: {penalty:g} points off"] if penalty else [])
    feedback.mkdir(parents=True, exist_ok=True)
    page = feedback_html.render(student, step, table, notes)
    (feedback / f"{step}.html").write_text(page, encoding="utf-8")


def _fill_points(gb, outcome: Outcome) -> None:
    from nbgrader.api import MissingEntry

    try:
        nb = gb.find_submission_notebook(outcome.step, outcome.step, outcome.student)
    except MissingEntry:
        outcome.points = 0.0 if outcome.status == "missing" else None
        return
    outcome.points = nb.score - (nb.late_submission_penalty or 0)
    outcome.max_points = nb.max_score


def _read_record(config) -> dict:
    path = _record_path(config)
    return json.loads(path.read_text()) if path.exists() else {}


def _write_record(config, record: dict) -> None:
    _record_path(config).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def _record_path(config) -> Path:
    db = config.CourseDirectory.db_url.removeprefix("sqlite:///")
    return Path(db).parent / RECORD


def export_csv(config, csv: Path | None, record: dict, batch: list[Outcome] = ()) -> Path:
    """One row per student: points per step, total, and why a notebook scored less than it
    could (beyond its answers)."""
    totals = gradebook.totals(config)
    notes: dict[str, list[str]] = {}
    seeds: dict[str, set[int]] = {}
    steps = set()
    for key, entry in record.items():
        student, step = key.split("/", 1)
        totals.setdefault(student, {})
        steps.add(step)
        if "seed" in entry:
            seeds.setdefault(student, set()).add(entry["seed"])
        if entry.get("reasons"):
            notes.setdefault(student, []).append(f"{step}: {'; '.join(entry['reasons'])}")
    for o in batch:  # a grading error leaves the earlier result standing: say so
        if o.status == STATUS_ERROR:
            totals.setdefault(o.student, {})
            notes.setdefault(o.student, []).append(f"{o.step}: grading error, not regraded")
    with gradebook.connect(config) as gb:
        for student, by_step in totals.items():
            for step in by_step:
                waiting = gradebook.written_answers_waiting(gb, student, step)
                if waiting:
                    notes.setdefault(student, []).append(
                        f"{step}: {waiting} written answer(s) not graded yet")
    steps = sorted(steps | {s for by_step in totals.values() for s in by_step}
                   | {o.step for o in batch})
    default = Path(config.CourseDirectory.db_url.removeprefix("sqlite:///")).parent / "grades.csv"
    path = Path(csv) if csv else default
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv_module.writer(f)
        seed = ["seed"] if seeds else []  # graded on their own logs (--variants)
        w.writerow(["student", *seed, *steps, "total", "notes"])
        for student in sorted(totals):
            points = [totals[student].get(s, 0.0) for s in steps]
            own = [" ".join(map(str, sorted(seeds.get(student, ()))))] if seeds else []
            w.writerow([student, *own, *(f"{p:g}" for p in points), f"{sum(points):g}",
                        " | ".join(sorted(notes.get(student, [])))])
    return path


def print_summary(report: ClassReport, out) -> None:
    steps = sorted({o.step for o in report.outcomes})
    students = sorted({o.student for o in report.outcomes})
    by = {(o.student, o.step): o for o in report.outcomes}
    width = max([7, *map(len, students)])
    print(f"{'student':<{width}}  " + "  ".join(f"{s[:15]:>15}" for s in steps)
          + "    total  notes", file=out)
    for student in students:
        cells, total, notes = [], 0.0, []
        for step in steps:
            o = by.get((student, step))
            if o is None:
                cells.append(f"{'':>15}")
                continue
            pts = o.points or 0.0
            total += pts
            shown = f"{pts:g}/{o.max_points:g}" if o.max_points else f"{pts:g}"
            cells.append(f"{shown:>15}")
            if o.status != STATUS_GRADED or o.reasons:
                notes.append(f"{step.split('_')[0]}: " + ("; ".join(o.reasons) or o.status))
        print(f"{student:<{width}}  " + "  ".join(cells) + f"  {total:7g}  "
              + " | ".join(notes)[:160], file=out)
    graded = sum(o.status == STATUS_GRADED for o in report.outcomes)
    errors = [o for o in report.outcomes if o.status == STATUS_ERROR]
    print(f"\n{graded} of {len(report.outcomes)} notebooks graded in {report.seconds:.0f} s; "
          f"grades in {report.csv}", file=out)
    layers = sorted({layer for o in report.outcomes for layer in o.isolation})
    if layers:
        missing = [x for x in ("pid", "files", "network") if x not in layers]
        print(f"sandbox: {', '.join(layers)}" + (f" (not available here: {', '.join(missing)};"
              " see the README)" if missing else ""), file=out)
    if report.ignored:
        print(f"ignored (no student or step in the name): {', '.join(report.ignored)}", file=out)
    for o in errors:
        print(f"GRADING ERROR {o.student}/{o.step}: {'; '.join(o.reasons)}\n{o.detail}", file=out)


def _grade_ids(notebook: Path) -> list[str]:
    """The graded and locked cells' ids, in the notebook's order."""
    if not notebook.is_file():
        return []
    cells = json.loads(notebook.read_text()).get("cells", [])
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells]
    return [i for i in ids if i]


def _order(ids: list[str], cells: dict) -> list[str]:
    """Cell ids in the released order; cells the source no longer has go last."""
    return [i for i in ids if i in cells] + sorted(set(cells) - set(ids))


def _step_files(folder: Path, config) -> tuple[tuple[str, bytes], ...]:
    """The step's files other than notebooks, which nbgrader copies beside each submission."""
    import fnmatch

    ignore = list(config.CourseDirectory.get("ignore", [])) + ["*.ipynb"]
    files = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(fnmatch.fnmatch(part, pat) for part in rel.parts
                                   for pat in ignore):
            files.append((str(rel), p.read_bytes()))
    return tuple(files)


# --- the plain nbgrader round trip -------------------------------------------------------------

def autograde(step: str, students: list[str], config_file: Path | None = None) -> dict:
    """Autograde each student's submission of `step`; {student: {grade_id: CellScore}}.

    Submissions are read from the course's `submitted/<student>/<step>/`; existing results
    are regraded (nbgrader skips work that exists unless forced). No sandbox: this is
    nbgrader as it is, which the test suite uses to prove each test is worth its points.
    """
    from nbgrader.api import Gradebook

    grader = api(config_file)
    for student in students:
        with separate_build_dir():
            result = grader.autograde(step, student, force=True, create=True)
        if not result["success"]:
            detail = result.get("error") or result.get("log")
            raise GraderError(f"autograding {student}/{step} failed:\n{detail}")
    scores = {}
    with Gradebook(grader.coursedir.db_url) as gradebook_:
        for student in students:
            notebook = gradebook_.find_submission_notebook(step, step, student)
            scores[student] = {
                g.name: CellScore(
                    g.name,
                    g.cell_type,
                    None if g.cell_type == "markdown" and g.manual_score is None else g.score,
                    g.max_score,
                )
                for g in notebook.grades
            }
    return scores
