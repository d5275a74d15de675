"""The report stage: what a class and each learner get to read.

- the feedback page of one graded notebook, written the same way by `mlsd grade` and by
  `mlsd feedback` after manual grading;
- the grades CSV, one row per student;
- the summary table `mlsd grade` prints.

nbgrader's own `generate_feedback` renders the whole autograded notebook, hidden tests and
tracebacks included. A page here shows, for each graded cell, its name, the points and the
check's one line (`✓ name: checks passed`, `✗ name: <friendly message>`, `… name: not attempted
yet`), read from the outcome the check left as data, plus a written answer's grade and the
grader's comment. A pass is worded from the gradebook's score, never read from what the
notebook printed; it never shows a cell's source, an error's value, a traceback or any line of
a hidden test: an error that is not one of the course's checks is reported by its type only.
"""

from __future__ import annotations

import csv as csv_module
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..learner.checks import FAILING, PASSED, Outcome, outcome_in
from . import gradebook, layout
from .gradebook import CellSpec, Step, grade_id
from .record import Status, Submission

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,80}")
STOPPED = {"KeyboardInterrupt": "stopped: the cell ran over its time limit",
           "CellTimeoutError": "stopped: the cell ran over its time limit",
           "MemoryError": "stopped: the cell ran out of memory",
           "NotRun": "not scored: the notebook stopped before this check could pass "
                     "(see the note above)"}


@dataclass(frozen=True)
class Row:
    name: str
    written: bool  # a written answer, graded by hand
    score: float | None  # None: not graded yet
    max_score: float
    message: str
    comment: str | None = None
    answered: bool = True  # False: a written answer left as the stub


def rows(notebook: str | None, cells: dict[str, CellSpec], order: list[str],
         scores: dict[str, float | None], comments: dict[str, str | None],
         manual: set[str] = frozenset()) -> list[Row]:
    """One row per graded cell, in the notebook's order; `manual`: the cells a human graded."""
    outputs = {}
    if notebook:
        for cell in json.loads(notebook).get("cells", []):
            name = grade_id(cell)
            if name and isinstance(cell.get("outputs"), list):
                outputs[name] = cell["outputs"]
    out = []
    for name in order:
        spec = cells.get(name)
        if spec is None or not spec.grade:
            continue
        written = spec.cell_type == "markdown"
        # a written answer the autograder scored was left as the stub (nbgrader's rule)
        answered = not written or name in manual or scores.get(name) is None
        if written:
            message = "written answer, graded by hand" if name in manual else \
                "written answer, not graded yet" if answered else "written answer: no response"
        else:
            message = _message(outputs.get(name), notebook is not None, spec,
                               scores.get(name))
        out.append(Row(name, written, scores.get(name), spec.points or 0.0, message,
                       comments.get(name), answered))
    return out


def _message(outputs: list | None, executed: bool, spec: CellSpec,
             score: float | None) -> str:
    """The test cell's line, from the grader's own record of its score. A pass is worded here,
    never read from what the notebook printed; a failure shows its check's line only when the
    check left one, and never a line that holds a hidden test's text."""
    if not executed or outputs is None:
        return "not run: the notebook could not be graded (see the note above)"
    name = _exercise_name(spec)
    if score is not None and score >= (spec.points or 0):
        return Outcome(name, PASSED).line()
    secrets = hidden_lines(spec.source)
    for o in outputs:
        if not isinstance(o, dict):
            continue
        found = outcome_in(o)
        if found is not None and found.status != PASSED:
            line = found.line()
            if not any(s in line for s in secrets):
                return line[:500]
            break
        if o.get("output_type") == "error":
            ename = o.get("ename") if isinstance(o.get("ename"), str) else ""
            if ename in STOPPED:
                return STOPPED[ename]
            if IDENTIFIER.fullmatch(ename or "") and not any(s in ename for s in secrets) \
                    and ename not in ("CheckFailed", "NotAttempted"):
                return Outcome(name, FAILING, f"the checks stopped with {ename}").line()
            break
    return Outcome(name, FAILING, "the checks did not pass").line()


def _exercise_name(spec: CellSpec) -> str:
    """The name the test cell's checks give their exercise (the gradebook holds its text)."""
    found = re.search(r"with exercise\((['\"])(.+?)\1\)", spec.source or "")
    return found.group(2) if found else spec.name.removesuffix("_test")


def hidden_lines(source: str, shortest: int = 12) -> list[str]:
    """The lines of a test cell's hidden tests long enough to be recognised elsewhere."""
    lines, inside = [], False
    for line in (source or "").splitlines():
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside and len(line.strip()) >= shortest:
            lines.append(line.strip())
    return lines


def points_text(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


def feedback_table(gb, config, student: str, step: Step):
    """(rows, late penalty) of one graded notebook as its page shows it, or None when the
    gradebook has no such submission: the one view of a result that pages and checks share."""
    from nbgrader.api import MissingEntry

    try:
        nb = gb.find_submission_notebook(step.name, step.name, student)
    except MissingEntry:
        return None
    scores = {}
    for g in nb.grades:
        base = g.manual_score if g.manual_score is not None else g.auto_score
        scores[g.name] = None if base is None else base + (g.extra_credit or 0)
    comments = {c.name: c.manual_comment for c in nb.comments}
    manual = {g.name for g in nb.grades if g.manual_score is not None}
    notebook = layout.notebook(config, "autograded", student, step.name)
    text = notebook.read_text() if notebook.exists() else None
    table = rows(text, step.cells, list(step.order), scores, comments, manual)
    return table, nb.late_submission_penalty or 0.0


def write_page(gb, config, student: str, step: Step, notes: list[str]) -> None:
    """The learner's feedback page of one step, from the gradebook as it stands."""
    found = feedback_table(gb, config, student, step)
    if found is None:
        return
    table, penalty = found
    notes = list(notes) + ([f"late submission: {penalty:g} points off"] if penalty else [])
    page = layout.notebook(config, "feedback", student, step.name)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(render(student, step.name, table, notes), encoding="utf-8")


def write_csv(config, csv: Path | None, record: dict, batch: list[Submission] = ()) -> Path:
    """One row per student: points per step, total, and why a notebook scored less than it
    could (beyond its answers); the seed of each one's log when graded on their own."""
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
    for sub in batch:  # a grading error leaves the earlier result standing: say so
        if sub.status is Status.ERROR:
            totals.setdefault(sub.student, {})
            notes.setdefault(sub.student, []).append(f"{sub.step}: grading error, not regraded")
    with gradebook.connect(config) as gb:
        for student, by_step in totals.items():
            for step in by_step:
                waiting = gradebook.written_answers_waiting(gb, student, step)
                if waiting:
                    notes.setdefault(student, []).append(
                        f"{step}: {waiting} written answer(s) not graded yet")
    steps = sorted(steps | {s for by_step in totals.values() for s in by_step}
                   | {sub.step for sub in batch})
    path = Path(csv) if csv else layout.gradebook_file(config).parent / "grades.csv"
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


def print_table(subs: list[Submission], seconds: float, csv: Path, ignored: list[str],
                out) -> None:
    """The class at a glance: points per student and step, why some scored less, errors."""
    steps = sorted({s.step for s in subs})
    students = sorted({s.student for s in subs})
    by = {s.key: s for s in subs}
    width = max([7, *map(len, students)])
    print(f"{'student':<{width}}  " + "  ".join(f"{s[:15]:>15}" for s in steps)
          + "    total  notes", file=out)
    for student in students:
        cells, total, notes = [], 0.0, []
        for step in steps:
            sub = by.get((student, step))
            if sub is None:
                cells.append(f"{'':>15}")
                continue
            pts = sub.points or 0.0
            total += pts
            shown = f"{pts:g}/{sub.max_points:g}" if sub.max_points else f"{pts:g}"
            cells.append(f"{shown:>15}")
            if sub.status is not Status.GRADED or sub.reasons:
                notes.append(f"{step.split('_')[0]}: " + ("; ".join(sub.reasons)
                                                          or str(sub.status)))
        print(f"{student:<{width}}  " + "  ".join(cells) + f"  {total:7g}  "
              + " | ".join(notes)[:160], file=out)
    graded = sum(s.status is Status.GRADED for s in subs)
    print(f"\n{graded} of {len(subs)} notebooks graded in {seconds:.0f} s; grades in {csv}",
          file=out)
    layers = sorted({layer for s in subs for layer in s.isolation})
    if layers:
        missing = [x for x in ("pid", "files", "network") if x not in layers]
        print(f"sandbox: {', '.join(layers)}" + (f" (not available here: {', '.join(missing)};"
              " see the README)" if missing else ""), file=out)
    if ignored:
        print(f"ignored (no student or step in the name): {', '.join(ignored)}", file=out)
    for s in subs:
        if s.status is Status.ERROR:
            print(f"GRADING ERROR {s.student}/{s.step}: {'; '.join(s.reasons)}\n{s.detail}",
                  file=out)


def render(student: str, step: str, table: list[Row], notes: list[str]) -> str:
    got = sum(r.score or 0 for r in table)
    best = sum(r.max_score for r in table)
    esc = html.escape
    body = [f"<h1>{esc(step)}</h1>",
            f"<p class='who'>Feedback for <b>{esc(student)}</b></p>",
            f"<p class='total'>Score: <b>{got:g} / {best:g}</b></p>"]
    if notes:
        body.append("<ul class='notes'>" + "".join(f"<li>{esc(n)}</li>" for n in notes)
                    + "</ul>")
    body.append("<table><thead><tr><th>exercise</th><th>points</th><th>result</th></tr>"
                "</thead><tbody>")
    for r in table:
        state = "pass" if r.score is not None and r.score >= r.max_score else \
            "pending" if r.score is None else "fail"
        comment = f"<div class='comment'>{esc(r.comment)}</div>" if r.comment else ""
        body.append(f"<tr class='{state}'><td><code>{esc(r.name)}</code></td>"
                    f"<td>{points_text(r.score)} / {r.max_score:g}</td>"
                    f"<td>{esc(r.message)}{comment}</td></tr>")
    body.append("</tbody></table>")
    return PAGE.format(title=esc(f"{step}: feedback for {student}"), body="\n".join(body))


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }}
tr.pass td:nth-child(2) {{ color: #1a7f37; }} tr.fail td:nth-child(2) {{ color: #cf222e; }}
tr.pending td:nth-child(2) {{ color: #9a6700; }}
.notes li {{ color: #9a6700; }} .comment {{ margin-top: .3rem; font-style: italic; }}
</style></head>
<body>
{body}
</body></html>
"""
