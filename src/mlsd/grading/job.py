"""The run stage: one submission autograded in a sandbox, on this machine or on a Dask worker.

A `Task` carries what every job of a step shares, by value (a throwaway gradebook holding only
this step's cells, the nbgrader configuration, the step's other files), so a worker needs no
shared folder with the instructor's machine, only the course's environment. `run` builds a
private course in a temporary folder (`layout.JobFolder`), runs the worker script
(`worker.py`) there inside the sandbox, reads back the structured result the worker wrote,
and fills in the submission's results and status.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..learner import checks
from .gradebook import grade_id
from .layout import JobFolder
from .record import Status, Submission
from .sandbox import NOBODY, Limits, Spec
from .sandbox import run as run_sandboxed

PASS_THROUGH = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")
PASS_PREFIXES = ("OPENBLAS_", "OMP_", "MKL_")
WORKER = Path(__file__).with_name("worker.py")
TRUNCATED = "output truncated: a cell printed too much"


@dataclass(frozen=True)
class Task:
    """What every job of one step shares."""

    step: str
    gradebook: bytes  # an nbgrader gradebook (SQLite file) with this step's cells only
    config: object  # the course's nbgrader configuration
    preset: str  # the click-log preset notebooks load while graded
    limits: Limits = field(default_factory=Limits)
    cell_timeout: int | None = None  # None: the configuration's Execute.timeout
    files: tuple[tuple[str, bytes], ...] = ()  # the step's other source files
    hide: tuple[str, ...] = ()  # more folders the submission must not see
    max_output_chars: int = 1_000_000  # per cell, while it runs
    threads: int = 1  # BLAS/OpenMP threads per kernel, unless the environment sets them
    plan: tuple = ()  # the step as recheck.py re-runs its tests; empty: no re-check
    variants: bool = False  # each notebook loads its author's log (`mlsd grade --variants`)

    @property
    def test_points(self) -> dict[str, float]:
        return {s["key"]: s.get("points", 0.0) for s in self.plan if s["kind"] == "test"}


# What stopped nbgrader part way, by the exception the worker saw (worker.py records them)
STOPPED_BY = {
    "DeadKernelError": (Status.KERNEL_DIED, "kernel died: the notebook stopped Python (os._exit, "
                        "a crash, or the CPU or memory limit)"),
    "CellTimeoutError": (Status.TIMED_OUT, "timed out: a cell ran over the per-cell limit and "
                         "ignored the interrupt"),
}


def run(sub: Submission, task: Task) -> Submission:
    """Autograde one screened submission in a sandbox and fill in its results; what the
    student's code does never raises here."""
    from ..clicklog.data import ensure_log

    learner = sub.student if task.variants else None
    data = Path(ensure_log(task.preset, progress=False, learner=learner))  # read-only there
    top = Path(tempfile.mkdtemp(prefix="mlsd-job-"))
    try:
        folder, spec = _prepare(sub, task, top, data, learner)
        outcome = run_sandboxed(spec, warm=True)
        return _read_result(sub, task, folder, outcome)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _prepare(sub: Submission, task: Task, top: Path, data: Path, learner: str | None
             ) -> tuple[JobFolder, Spec]:
    folder, config = JobFolder.at(top, task.config, sub.student, sub.step)
    submitted = Path(folder.submitted)
    submitted.parent.mkdir(parents=True)
    submitted.write_text(sub.notebook)
    if sub.timestamp:
        (submitted.parent / "timestamp.txt").write_text(sub.timestamp)
    Path(folder.gradebook).parent.mkdir(parents=True, exist_ok=True)
    Path(folder.gradebook).write_bytes(task.gradebook)
    source = Path(folder.source)  # nbgrader copies a step's other files from here
    source.mkdir(parents=True)
    for name, content in task.files:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    Path(folder.config).write_bytes(pickle.dumps(config))
    Path(folder.job).write_text(json.dumps({
        "student": sub.student, "step": sub.step, "cell_timeout": task.cell_timeout,
        "max_output_chars": task.max_output_chars, "plan": list(task.plan),
        "wall_clock": task.limits.wall_clock, "paths": folder.paths()}))
    home = Path(folder.home)
    for sub_folder in (Path(folder.tmp), home / ".config" / "matplotlib", home / ".cache",
                       home / "runtime"):
        sub_folder.mkdir(parents=True, exist_ok=True)
    _copy_font_cache(home / ".config" / "matplotlib")

    import mlsd

    package_src = str(Path(mlsd.__file__).resolve().parents[1])
    expose = sorted({sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent),
                     package_src, str(data)})
    env = {k: v for k, v in os.environ.items()
           if k in PASS_THROUGH or k.startswith(PASS_PREFIXES)}
    env.update({
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin",
                                 "/bin"]),
        "HOME": str(home), "TMPDIR": folder.tmp,
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_PLATFORM_DIRS": "1",
        "MPLCONFIGDIR": str(home / ".config" / "matplotlib"),
        "MLSD_PRESET": task.preset, "MLSD_DATA_DIR": str(data.parent),
        "MLSD_LEARNER": learner or "",
        "MLSD_BUILD_DIR": folder.build,
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, str(task.threads))  # parallel kernels do not fight for the cores
    from .. import course as course_layout

    hide = {tempfile.gettempdir(), str(Path.home()), *task.hide}
    try:
        hide.add(str(course_layout.root()))  # the course this worker runs: its solutions
    except RuntimeError:
        pass
    hidden = sorted(p for p in hide if p and p != "/")
    root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
    drop = root and all(_world_usable(Path(p), hidden) for p in expose)
    if drop:
        _chown_tree(top, NOBODY)
    return folder, Spec(
        argv=[sys.executable, "-I", str(WORKER), folder.job],
        call=[str(WORKER), "main", folder.job],
        cwd=str(top), env=env, limits=task.limits.__dict__, log=folder.log,
        writable=[str(top)], hide=hidden, expose=expose, drop_to_nobody=drop,
    )


def _copy_font_cache(target: Path) -> None:
    """Matplotlib's font list, so a fresh home does not rebuild it in every sandbox."""
    for folder in (os.environ.get("MPLCONFIGDIR"), Path.home() / ".cache" / "matplotlib",
                   Path.home() / ".matplotlib"):
        if folder and Path(folder).is_dir():
            for cache in Path(folder).glob("fontlist-*.json"):
                shutil.copy(cache, target / cache.name)
            return


def _world_usable(path: Path, hidden: list[str] = ()) -> bool:
    """Can user `nobody` reach and read this path inside the sandbox (every folder on the way
    searchable, itself readable)? A folder at or under a hidden one is searchable there: the
    sandbox lays an empty folder of mode 755 over it and makes the way to what it puts back."""
    replaced = [Path(h) for h in hidden]
    try:
        for parent in [*reversed(path.parents), path]:
            if parent != path and any(parent == h or h in parent.parents for h in replaced):
                continue
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                return False
        if path.is_dir():
            return all(p.stat().st_mode & stat.S_IROTH for p in [path, *path.iterdir()])
        return bool(path.stat().st_mode & stat.S_IROTH)
    except OSError:
        return False


def _chown_tree(top: Path, uid: int) -> None:
    for folder, _, files in os.walk(top):
        os.chown(folder, uid, uid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, uid)


def _read_result(sub: Submission, task: Task, folder: JobFolder, outcome) -> Submission:
    """The worker's result (`result.json`) and the sandbox's outcome, as the submission's
    status, results and reasons."""
    sub.seconds, sub.isolation = outcome.seconds, tuple(outcome.isolation)
    log = (_read_own(Path(folder.log), folder.top) or "")[-4000:]
    try:
        result = json.loads(_read_own(Path(folder.result), folder.top) or "null")
    except ValueError:
        result = None
    if not isinstance(result, dict):
        result = None
    timings = (result or {}).get("timings")
    if isinstance(timings, dict):
        sub.timings = {str(k): float(v) for k, v in timings.items()
                       if isinstance(v, (int, float))}
    limits = task.limits
    if outcome.timed_out:
        return sub.done(Status.TIMED_OUT,
                        f"timed out: the notebook ran over the {limits.wall_clock:g} s limit")
    if outcome.setup_failed:
        return sub.done(Status.ERROR, *outcome.notes, detail=log)
    raised = (result or {}).get("raised")
    if result and result.get("graded"):
        text = _read_own(Path(folder.autograded), folder.top)
        try:
            json.loads(text or "")
        except ValueError:
            return sub.done(Status.DAMAGED, "the notebook damaged the grader's files: scores 0")
        grades, reasons = dict(result["grades"]), _cell_reasons(text, task, result)
        if result.get("recheck") is not None:
            if result["recheck"].get("error"):
                return sub.done(Status.ERROR, "the grader could not re-run the checks apart "
                                "from the notebook", detail=result["recheck"]["error"])
            text, note = _apply_recheck(text, grades, result["recheck"], task)
            reasons += note
        return sub.done(Status.GRADED, *reasons, grades=grades, comments=result["comments"],
                        late_penalty=result.get("late_penalty"), autograded=text)
    if raised in STOPPED_BY:
        status, reason = STOPPED_BY[raised]
        return _what_ran(sub, task, result, status, reason)
    if raised == "MemoryError":
        return sub.done(Status.MEMORY_LIMIT, f"memory limit: grading it needed more than "
                        f"{limits.memory_mb} MiB")
    if outcome.returncode is not None and outcome.returncode < 0:
        import signal

        try:
            name = signal.Signals(-outcome.returncode).name
        except ValueError:  # a real-time signal has no name
            name = f"signal {-outcome.returncode}"
        return sub.done(Status.STOPPED,
                        f"stopped by {name}: the notebook reached a CPU or memory limit")
    if raised == "ValidationError":
        return sub.done(Status.INVALID_METADATA,
                        "invalid nbgrader metadata: the notebook's cell metadata was edited")
    error = "\n".join([(result or {}).get("error", ""), *outcome.notes, log])
    return sub.done(Status.ERROR, "nbgrader could not grade it", detail=error[-4000:])


def _read_own(path: Path, work: Path, limit: int = 256 * 2**20) -> str | None:
    """A file the sandbox wrote, read without following a link the learner's code may have
    planted (this process can read what the learner's code must not)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode) or \
                not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(work)):
            return None
        return f.read(limit).decode("utf-8", errors="replace")


def _rechecked_output(name: str, recheck: dict) -> dict:
    """A test cell's output as the re-check saw it: its check's outcome, nothing else."""
    found = checks.Outcome.from_data(recheck.get("outcomes", {}).get(name))
    return checks.error_output(found or checks.Outcome(
        name.removesuffix("_test"), checks.FAILING,
        "did not pass when the grader re-ran the checks apart from the notebook's code"))


def _apply_recheck(text: str, grades: dict, recheck: dict, task: Task) -> tuple[str, list[str]]:
    """Keep nbgrader's points only for test cells that also passed when the checks were re-run
    apart from the notebook's code; the autograded notebook shows what the re-run found."""
    passed = recheck.get("passed", {})
    lost = sorted(g for g in task.test_points if grades.get(g) and passed.get(g) is not True)
    if not lost:
        return text, []
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        name = grade_id(cell)
        if name in lost:
            grades[name] = 0.0
            cell["outputs"] = [_rechecked_output(name, recheck)]
    unverified = [g for g in lost if g not in passed]
    note = [f"re-checked apart from the notebook's code: {len(lost)} test cell(s) that passed "
            f"in the notebook did not pass there and score 0 ({', '.join(lost)})"]
    if recheck.get("stopped") and unverified:
        note.append(f"the re-check stopped early ({recheck['stopped']}): "
                    f"{len(unverified)} test cell(s) could not be re-checked")
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n", note


def _what_ran(sub: Submission, task: Task, result: dict, status: Status,
              reason: str) -> Submission:
    """A notebook nbgrader gave up on part way: each test cell before that point scores what
    it scored when re-run apart from the notebook's code (which stops where it stopped); the
    rest were never run and score 0, and the notebook shows which is which."""
    recheck = (result or {}).get("recheck") or {}
    if recheck.get("error"):
        return sub.done(Status.ERROR, "the grader could not re-run the checks apart from the "
                        "notebook", detail=recheck["error"])
    passed, points = recheck.get("passed", {}), task.test_points
    grades = {k: (p if passed.get(k) is True else 0.0) for k, p in points.items()}
    scored = [k for k in points if passed.get(k) is True]
    reasons = [reason] + ([f"scored the {len(scored)} test cell(s) that passed before it "
                           "stopped, re-checked apart from the notebook's code"] if scored else [])
    nb = json.loads(sub.notebook)
    for cell in nb.get("cells", []):
        name = grade_id(cell)
        if name not in points or cell.get("cell_type") != "code":
            continue
        if passed.get(name) is True:
            cell["outputs"] = []
        elif name in recheck.get("outcomes", {}):
            cell["outputs"] = [_rechecked_output(name, recheck)]
        else:
            cell["outputs"] = [{"output_type": "error", "ename": "NotRun", "evalue": "",
                                "traceback": []}]
    text = json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
    return sub.done(status, *reasons, grades=grades, autograded=text)


def _cell_reasons(notebook_text: str, task: Task, result: dict) -> list[str]:
    """Which limits stopped or cut a cell: as the worker recorded them while the notebook ran
    (interrupts, output over the cap), and errors the notebook's cells reported."""
    nb = json.loads(notebook_text)
    errors = [o for c in nb.get("cells", []) for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    names = {o.get("ename") for o in errors}
    reasons = []
    if result.get("interrupted") or names & {"CellTimeoutError", "KeyboardInterrupt"}:
        limit = f" of {task.cell_timeout} s" if task.cell_timeout else ""
        reasons.append(f"a cell ran over the per-cell limit{limit} and was interrupted")
    if any("File too large" in str(o.get("evalue", "")) for o in errors):
        reasons.append(f"file limit: a cell wrote a file over {task.limits.file_mb} MiB")
    if "MemoryError" in names:
        reasons.append(f"memory limit: a cell needed more than {task.limits.memory_mb} MiB")
    if result.get("truncated"):
        reasons.append(TRUNCATED)
    return reasons
