"""One submission's grading job: what a pool worker runs, on this machine or on a Dask worker.

A `Job` carries everything by value (the notebook, a throwaway gradebook holding only this
step's cells, the nbgrader configuration), so a worker needs no shared folder with the
instructor's machine, only the course's environment. `grade_job` builds a private course in
a temporary folder, runs nbgrader's autograde there inside the sandbox, and returns a
`JobResult`: the score nbgrader gave each cell, the autograded notebook, and why it scored
less than it could when the reason is not the learner's answers.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .sandbox import NOBODY, Limits, Spec, run

PASS_THROUGH = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")
PASS_PREFIXES = ("OPENBLAS_", "OMP_", "MKL_")
STATUS_GRADED = "graded"
STATUS_ERROR = "grading error"  # the grader failed: never the learner's fault


@dataclass(frozen=True)
class Job:
    student: str
    step: str
    notebook: str  # the submitted notebook, checked and restored (JSON text)
    gradebook: bytes  # an nbgrader gradebook (SQLite file) with this step's cells only
    config: bytes  # the course's nbgrader configuration, pickled
    preset: str  # the click-log preset notebooks load while graded
    limits: Limits = field(default_factory=Limits)
    cell_timeout: int | None = None  # None: the configuration's Execute.timeout
    timestamp: str | None = None  # nbgrader's timestamp.txt, for late penalties
    files: tuple[tuple[str, bytes], ...] = ()  # the step's other source files
    hide: tuple[str, ...] = ()  # more folders the submission must not see
    max_output_chars: int = 1_000_000  # per cell, while it runs
    threads: int = 1  # BLAS/OpenMP threads per kernel, unless the environment sets them
    plan: tuple = ()  # the step as recheck.py re-runs its tests; empty: no re-check
    learner: str | None = None  # whose log the notebook loads (`mlsd grade --variants`)


@dataclass(frozen=True)
class JobResult:
    student: str
    step: str
    status: str  # "graded", "timed out", "kernel died", "memory limit", "stopped", STATUS_ERROR
    reasons: tuple[str, ...]  # why it scored less than it could, beyond its answers
    grades: dict = field(default_factory=dict)  # grade_id -> nbgrader's auto score
    comments: dict = field(default_factory=dict)  # grade_id -> nbgrader's auto comment
    late_penalty: float | None = None
    autograded: str | None = None  # the executed notebook (JSON text), when there is one
    seconds: float = 0.0
    isolation: tuple[str, ...] = ()
    detail: str = ""  # the end of the log, for grading errors


def grade_job(job: Job) -> JobResult:
    """Autograde one submission in a sandbox; what the student's code does never raises here."""
    from .data import ensure_log

    data = Path(ensure_log(job.preset, progress=False, learner=job.learner))  # read-only there
    work = Path(tempfile.mkdtemp(prefix="mlsd-job-"))
    try:
        spec = _prepare(job, work, data)
        outcome = run(spec, warm=True)
        return _result(job, work, outcome)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _prepare(job: Job, work: Path, data: Path) -> Spec:
    course = work / "course"
    grader = course / "grader"
    submitted = grader / "submitted" / job.student / job.step
    submitted.mkdir(parents=True)
    (submitted / f"{job.step}.ipynb").write_text(job.notebook)
    if job.timestamp:
        (submitted / "timestamp.txt").write_text(job.timestamp)
    (grader / "gradebook.db").write_bytes(job.gradebook)
    source = course / "solutions" / job.step  # nbgrader copies a step's other files from here
    source.mkdir(parents=True)
    for name, content in job.files:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (work / "config.pickle").write_bytes(job.config)
    (work / "job.json").write_text(json.dumps({
        "student": job.student, "step": job.step, "cell_timeout": job.cell_timeout,
        "max_output_chars": job.max_output_chars, "plan": list(job.plan),
        "wall_clock": job.limits.wall_clock}))
    home = work / "home"
    for sub in ("tmp", "home/.config/matplotlib", "home/.cache", "home/runtime"):
        (work / sub).mkdir(parents=True, exist_ok=True)
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
        "HOME": str(home), "TMPDIR": str(work / "tmp"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_PLATFORM_DIRS": "1",
        "MPLCONFIGDIR": str(home / ".config" / "matplotlib"),
        "MLSD_PRESET": job.preset, "MLSD_DATA_DIR": str(data.parent),
        "MLSD_LEARNER": job.learner or "",
        "MLSD_BUILD_DIR": str(work / "build"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, str(job.threads))  # parallel kernels do not fight for the cores
    from . import course as course_layout

    hide = {tempfile.gettempdir(), str(Path.home()), *job.hide}
    try:
        hide.add(str(course_layout.root()))  # the course this worker runs: its solutions
    except RuntimeError:
        pass
    hidden = sorted(p for p in hide if p and p != "/")
    root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
    drop = root and all(_world_usable(Path(p), hidden) for p in expose)
    if drop:
        _chown_tree(work, NOBODY)
    script = Path(__file__).with_name("sandboxed_autograde.py")
    return Spec(
        argv=[sys.executable, "-I", str(script), str(work)], call=[str(script), "main", str(work)],
        cwd=str(work), env=env, limits=job.limits.__dict__, log=str(work / "sandbox.log"),
        writable=[str(work)], hide=hidden, expose=expose,
        drop_to_nobody=drop,
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


def _result(job: Job, work: Path, outcome) -> JobResult:
    base = {"student": job.student, "step": job.step, "seconds": outcome.seconds,
            "isolation": tuple(outcome.isolation)}
    log = (_read_own(work / "sandbox.log", work) or "")[-4000:]
    try:
        result = json.loads(_read_own(work / "result.json", work) or "null")
    except ValueError:
        result = None
    autograded = work / "course" / "grader" / "autograded" / job.student / job.step / \
        f"{job.step}.ipynb"
    if outcome.timed_out:
        return JobResult(status="timed out", reasons=(
            f"timed out: the notebook ran over the {job.limits.wall_clock:g} s limit",), **base)
    if any(n.startswith("sandbox setup failed") for n in outcome.notes):
        return JobResult(status=STATUS_ERROR, reasons=tuple(outcome.notes), detail=log, **base)
    if result and result["success"]:
        text = _read_own(autograded, work)
        try:
            json.loads(text or "")
        except ValueError:
            return JobResult(status="damaged", reasons=(
                "the notebook damaged the grader's files: scores 0",), **base)
        grades, reasons = dict(result["grades"]), _cell_reasons(text, job, result)
        if result.get("recheck") is not None:
            if result["recheck"].get("error"):
                return JobResult(status=STATUS_ERROR, reasons=(
                    "the grader could not re-run the checks apart from the notebook",),
                    detail=result["recheck"]["error"], **base)
            text, note = _apply_recheck(text, grades, result["recheck"], job)
            reasons += note
        return JobResult(status=STATUS_GRADED, reasons=tuple(reasons),
                         grades=grades, comments=result["comments"],
                         late_penalty=result.get("late_penalty"), autograded=text, **base)
    error = (result or {}).get("error", "") + "\n" + (result or {}).get("log", "") + "\n" + log
    if "DeadKernelError" in error or "Kernel died" in error:
        return _what_ran(job, result, "kernel died", (
            "kernel died: the notebook stopped Python (os._exit, a crash, or the CPU or "
            "memory limit)",), base)
    if "CellTimeoutError" in error:  # interrupted, yet the cell would not stop
        return _what_ran(job, result, "timed out", (
            "timed out: a cell ran over the per-cell limit and ignored the interrupt",), base)
    if outcome.returncode == 3 or "MemoryError" in error:
        return JobResult(status="memory limit", reasons=(
            f"memory limit: grading it needed more than {job.limits.memory_mb} MiB",), **base)
    if outcome.returncode is not None and outcome.returncode < 0:
        import signal

        name = signal.Signals(-outcome.returncode).name
        return JobResult(status="stopped", reasons=(
            f"stopped by {name}: the notebook reached a CPU or memory limit",), **base)
    if "nbgrader metadata may be corrupted" in error:
        return JobResult(status="invalid metadata", reasons=(
            "invalid nbgrader metadata: the notebook's cell metadata was edited",), **base)
    return JobResult(status=STATUS_ERROR, reasons=("nbgrader could not grade it",),
                     detail=error[-4000:], **base)


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


def _check_line(line: list) -> dict:
    """A test cell's output as the re-check saw it: the check's own first line, nothing else."""
    return {"output_type": "error", "ename": "CheckFailed", "evalue": "",
            "traceback": [str(x) for x in line][:1]}


def _apply_recheck(text: str, grades: dict, recheck: dict, job: Job) -> tuple[str, list[str]]:
    """Keep nbgrader's points only for test cells that also passed when the checks were re-run
    apart from the notebook's code; the autograded notebook shows what the re-run found."""
    tests = {s["key"] for s in job.plan if s["kind"] == "test"}
    passed, lines = recheck.get("passed", {}), recheck.get("lines", {})
    lost = sorted(g for g in tests if grades.get(g) and passed.get(g) is not True)
    if not lost:
        return text, []
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if name in lost:
            grades[name] = 0.0
            line = lines.get(name) or [
                f"\u2717 {name.removesuffix('_test')}: did not pass when the grader re-ran the "
                "checks apart from the notebook's code"]
            cell["outputs"] = [_check_line(line)]
    unverified = [g for g in lost if g not in passed]
    note = [f"re-checked apart from the notebook's code: {len(lost)} test cell(s) that passed "
            f"in the notebook did not pass there and score 0 ({', '.join(lost)})"]
    if recheck.get("stopped") and unverified:
        note.append(f"the re-check stopped early ({recheck['stopped']}): "
                    f"{len(unverified)} test cell(s) could not be re-checked")
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n", note


def _what_ran(job: Job, result: dict, status: str, reasons: tuple, base: dict) -> JobResult:
    """A notebook nbgrader gave up on part way: each test cell before that point scores what
    it scored when re-run apart from the notebook's code (which stops where it stopped); the
    rest were never run and score 0, and the notebook shows which is which."""
    recheck = (result or {}).get("recheck") or {}
    if recheck.get("error"):
        recheck = {}
    passed, lines = recheck.get("passed", {}), recheck.get("lines", {})
    points = {s["key"]: s.get("points", 0.0) for s in job.plan if s["kind"] == "test"}
    grades = {k: (p if passed.get(k) is True else 0.0) for k, p in points.items()}
    scored = [k for k in points if passed.get(k) is True]
    if scored:
        reasons += (f"scored the {len(scored)} test cell(s) that passed before it stopped, "
                    "re-checked apart from the notebook's code",)
    nb = json.loads(job.notebook)
    for cell in nb.get("cells", []):
        name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if name not in points or cell.get("cell_type") != "code":
            continue
        if passed.get(name) is True:
            cell["outputs"] = []
        elif name in lines:
            cell["outputs"] = [_check_line(lines[name])]
        else:
            cell["outputs"] = [{"output_type": "error", "ename": "NotRun", "evalue": "",
                                "traceback": []}]
    text = json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
    return JobResult(status=status, reasons=reasons, grades=grades, autograded=text, **base)


def _cell_reasons(notebook_text: str, job: Job, result: dict) -> list[str]:
    """Which limits stopped or cut a cell: as the grader recorded them while the notebook ran
    (interrupts, output over the cap), and a MemoryError the notebook reported."""
    nb = json.loads(notebook_text)
    names = set()
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                names.add(out.get("ename"))
    truncated = bool(result.get("truncated"))
    reasons = []
    if result.get("interrupted") or names & {"CellTimeoutError", "KeyboardInterrupt"}:
        limit = f" of {job.cell_timeout} s" if job.cell_timeout else ""
        reasons.append(f"a cell ran over the per-cell limit{limit} and was interrupted")
    if any("File too large" in str(o.get("evalue", "")) for c in nb.get("cells", [])
           for o in c.get("outputs", []) if o.get("output_type") == "error"):
        reasons.append(f"file limit: a cell wrote a file over {job.limits.file_mb} MiB")
    if "MemoryError" in names:
        reasons.append(f"memory limit: a cell needed more than {job.limits.memory_mb} MiB")
    if truncated:
        reasons.append("output truncated: a cell printed too much")
    return reasons
