"""The program the sandbox runs: nbgrader's autograde of one submission on a private course.

Loaded by path (by the sandbox's warm server, or `python worker.py JOB.json`), not as
`mlsd.…`, so it does not import the helper package (pandas, pyarrow) for nothing. JOB.json
holds the job and the paths of its private course (`layout.JobFolder`, built by `job.py`):
the nbgrader configuration pointed at that course, a throwaway gradebook with this step's cells
only and the submitted notebook. The worker always writes the result file, as data:

    graded       nbgrader finished and scored the notebook
    raised       the name of the exception that stopped grading (DeadKernelError,
                 CellTimeoutError, ValidationError, MemoryError, ...), or null
    error        nbgrader's own error text and log, for a grading error
    grades, comments, late_penalty   what nbgrader saved for each cell
    interrupted, truncated           cells the per-cell limit stopped, cells whose output was cut
    recheck      the tests re-run apart from the notebook's code (recheck.py), when run
    timings      seconds spent in nbgrader's autograde and in the re-check

The executed notebook stays where nbgrader writes it (`paths["autograded"]`).
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import time
import traceback


def _capped_execute(base, max_chars: int):
    """nbgrader's Execute that keeps at most `max_chars` of output per cell *while it runs*
    (a cell printing gigabytes costs the grader neither memory nor time to store it). When the
    notebook has run, it ends every process the notebook left behind (as PID 1 of the sandbox)
    and puts back the gradebook as it was before, so nothing the learner's code did or started
    can touch the scores nbgrader then computes and saves."""

    class CappedExecute(base):
        # What this process saw happen, recorded here rather than read back from the
        # notebook's outputs (which the learner's code writes and nbgrader trims).
        interrupted: list = []  # ids of the cells stopped by the per-cell limit, in order
        truncated: set = set()  # indices of the cells whose output went over the cap

        async def _async_handle_timeout(self, timeout, cell=None):
            CappedExecute.interrupted.append(str((cell or {}).get("id", "")))
            return await super()._async_handle_timeout(timeout, cell)

        def preprocess(self, nb, resources=None, km=None):
            db = (resources or {}).get("nbgrader", {}).get("db_url", "")
            db = db.removeprefix("sqlite:///")
            with open(db, "rb") as f:
                before = f.read()  # the learner's code could write to it while it runs
            try:
                return super().preprocess(nb, resources, km)
            finally:
                _end_leftovers()
                for leftover in (db, db + "-journal", db + "-wal", db + "-shm"):
                    if os.path.lexists(leftover):
                        os.unlink(leftover)
                with open(db, "xb") as f:
                    f.write(before)

        def output(self, outs, msg, display_id, cell_index):
            used = getattr(self, "_mlsd_used", {})
            self._mlsd_used = used
            content = msg.get("content", {})
            size = len(content.get("text", "")) + sum(
                len(str(v)) for v in (content.get("data") or {}).values())
            size += sum(len(line) for line in content.get("traceback", []))
            total = used.get(cell_index, 0) + size
            used[cell_index] = total
            if total > max_chars:
                CappedExecute.truncated.add(cell_index)
                room = max_chars - (total - size)
                if room >= 0:  # first output past the cap: keep what fits, say so once
                    from nbformat.v4 import new_output

                    if msg.get("msg_type") == "stream" and room:
                        head = {**msg, "content": {**content, "text": content["text"][:room]}}
                        super().output(outs, head, display_id, cell_index)
                    outs.append(new_output("stream", name="stdout",
                                           text="\n[output truncated by the grader]\n"))
                return None
            return super().output(outs, msg, display_id, cell_index)

    return CappedExecute


RAISED: list[str] = []  # exceptions that stopped a preprocessor, in order


def _recorded(base):
    """A preprocessor that notes the exception that stops it, so the result can say what
    stopped grading without reading a log."""

    class Recorded(base):
        def preprocess(self, *args, **kwargs):
            try:
                return super().preprocess(*args, **kwargs)
            except BaseException as err:
                RAISED.append(type(err).__name__)
                raise

    Recorded.__name__ = Recorded.__qualname__ = base.__name__
    return Recorded


def preload() -> None:
    """Import what grading needs. The sandbox's warm server calls it once, then forks a
    sandbox per submission with all of it already in memory."""
    # jsonschema imports this optional extra when present: seconds of grammar building that
    # nbformat never uses.
    sys.modules.setdefault("rfc3987_syntax", None)
    import nbgrader.api
    import nbgrader.apps
    import nbgrader.converters
    import nbgrader.preprocessors  # noqa: F401


RECHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "recheck.py")


def _recheck_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("recheck", RECHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _end_leftovers() -> None:
    if os.getpid() == 1:  # only ever inside its own PID namespace
        try:
            os.kill(-1, 9)
        except OSError:
            pass


STARTED = time.monotonic()
# nbgrader gave up part way (job.STOPPED_BY says what each one means for the learner)
STOPPED_EARLY = ("DeadKernelError", "CellTimeoutError")


def _clear(path: str) -> None:
    import shutil

    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)


def _up_to_last_scored(plan: list[dict], grades: dict) -> list[dict]:
    """The plan up to the last test cell nbgrader gave points: a test cell that scored 0 can
    lose nothing, so the re-check need not run past the last one that scored."""
    last = max((i for i, s in enumerate(plan) if s["kind"] == "test" and grades.get(s["key"])),
               default=-1)
    return plan[:last + 1]


def _recheck(top: str, job: dict, submitted: dict, keep: list[str], seconds: float,
             interrupted: list[str], ended: str | None = None, plan: list | None = None) -> dict:
    """The test cells re-run apart from the notebook's code (recheck.py). The files in `keep`
    are put back as they were: the notebook's code runs again meanwhile, as this user."""
    import subprocess

    saved = {}
    for path in keep:
        with open(path, "rb") as f:
            saved[path] = f.read()
    cwd = os.path.join(job["paths"]["tmp"], "recheck")
    plan_path = os.path.join(top, "recheck.json")
    for path in (cwd, plan_path):  # the notebook's code may have left something there
        _clear(path)
    os.makedirs(cwd)
    with open(plan_path, "x") as f:
        json.dump({"plan": job["plan"] if plan is None else plan, "submitted": submitted,
                   "cwd": cwd, "seconds": seconds,
                   "cell_timeout": job["cell_timeout"], "interrupted": interrupted,
                   "ended": ended}, f)
    try:
        run = subprocess.run([sys.executable, "-I", RECHECK, plan_path], stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=seconds)
        outcome = json.loads(run.stdout.decode("utf-8", "replace") or "null") or \
            {"stopped": f"the re-check ended without a result (exit {run.returncode})"}
    except subprocess.TimeoutExpired:
        outcome = {"stopped": "the re-check ran over the time left for this notebook"}
    except ValueError:
        outcome = {"stopped": "the re-check's result was damaged"}
    _end_leftovers()
    for path, data in saved.items():
        _clear(path)
        with open(path, "xb") as f:
            f.write(data)
    return outcome


def _grade(job: dict) -> dict:
    paths = job["paths"]
    with open(paths["config"], "rb") as f:
        config = pickle.load(f)

    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import Execute

    if job.get("cell_timeout"):
        config.Execute.timeout = int(job["cell_timeout"])
    # the re-check gives each cell what nbgrader gave it
    job["cell_timeout"] = config.Execute.get("timeout") or \
        Execute.class_traits()["timeout"].default()
    defaults = Autograde.class_traits()
    capped = _capped_execute(Execute, job["max_output_chars"])
    for chain in ("sanitize_preprocessors", "autograde_preprocessors"):
        classes = config.Autograde.get(chain) or defaults[chain].default()
        config.Autograde[chain] = [_recorded(capped if p is Execute else p) for p in classes]

    step, student = job["step"], job["student"]
    with open(paths["submitted"]) as f:
        submitted = json.load(f)  # read before the notebook's code runs and can change it
    grader = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    started = time.monotonic()
    outcome = grader.autograde(step, student, force=True, create=True)
    timings = {"autograde": round(time.monotonic() - started, 3)}
    result = {"timings": timings, "graded": bool(outcome["success"]),
              "raised": RAISED[0] if RAISED else None,
              "error": (outcome.get("error") or "") + "\n" + (outcome.get("log") or "")[-20000:],
              "interrupted": capped.interrupted, "truncated": sorted(capped.truncated)}
    if result["graded"]:
        with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
            nb = gb.find_submission_notebook(step, step, student)
            result["grades"] = {g.name: g.auto_score for g in nb.grades}
            result["comments"] = {c.name: c.auto_comment for c in nb.comments}
            result["late_penalty"] = nb.late_submission_penalty
    left = float(job.get("wall_clock") or 600) - (time.monotonic() - STARTED) - 5
    started = time.monotonic()
    if job.get("plan") and result["graded"] and any(result["grades"].values()):
        result["recheck"] = _recheck(paths["top"], job, submitted, [paths["autograded"]],
                                     max(left, 1.0), result["interrupted"],
                                     plan=_up_to_last_scored(job["plan"], result["grades"]))
    elif job.get("plan") and left > 10 and result["raised"] in STOPPED_EARLY:
        # the kernel died or a cell would not stop: the test cells before that point are
        # scored by the re-check alone, which stops where the notebook stopped
        ended = capped.interrupted[-1] if result["raised"] == "CellTimeoutError" and \
            capped.interrupted else None
        result["recheck"] = _recheck(paths["top"], job, submitted, [], left,
                                     result["interrupted"], ended)
    if "recheck" in result:
        timings["recheck"] = round(time.monotonic() - started, 3)
    return result


def main(job_file: str) -> int:
    """Grade the job; whatever happens, leave a result file that says what."""
    global STARTED
    STARTED = time.monotonic()
    with open(job_file) as f:
        job = json.load(f)
    try:
        _recheck_module()._harden()
        preload()
        result = _grade(job)
    except MemoryError:
        result = {"graded": False, "raised": "MemoryError", "error": ""}
    except BaseException as err:  # noqa: BLE001 - the grader's fault, said as one
        result = {"graded": False, "raised": type(err).__name__,
                  "error": traceback.format_exc()[-4000:]}
    out = job["paths"]["result"]
    _clear(out)  # the notebook's code may have left something there
    with open(out, "x") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
