"""The feedback page a learner gets for one graded notebook, without the grader's secrets.

nbgrader's own `generate_feedback` renders the whole autograded notebook, hidden tests and
tracebacks included. This page shows, for each graded cell, its name, the points and the one
line the course's checks print (`✓ name: checks passed`, `✗ name: <friendly message>`,
`… name: not attempted yet`), plus a written answer's grade and the grader's comment. A pass is
worded from the gradebook's score, never read from what the notebook printed; it never shows a
cell's source, an error's value, a traceback or any line of a hidden test: an error that is
not one of the course's friendly checks is reported by its type only.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from .gradebook import CellSpec

MARKS = ("\u2713", "\u2717", "\u2026")  # ✓ ✗ …
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FRIENDLY = {"CheckFailed", "NotAttempted"}
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


def rows(notebook: str | None, cells: dict[str, CellSpec], order: list[str],
         scores: dict[str, float | None], comments: dict[str, str | None],
         manual: set[str] = frozenset()) -> list[Row]:
    """One row per graded cell, in the notebook's order; `manual`: the cells a human graded."""
    outputs = {}
    if notebook:
        for cell in json.loads(notebook).get("cells", []):
            name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if name:
                outputs[name] = cell.get("outputs", [])
    out = []
    for name in order:
        spec = cells.get(name)
        if spec is None or not spec.grade:
            continue
        written = spec.cell_type == "markdown"
        if written:
            message = "written answer, graded by hand" if name in manual else \
                "written answer, not graded yet" if scores.get(name) is None else \
                "written answer: no response"
        else:
            message = _message(outputs.get(name), notebook is not None, spec,
                               scores.get(name))
        out.append(Row(name, written, scores.get(name), spec.points or 0.0, message,
                       comments.get(name)))
    return out


def _message(outputs: list | None, executed: bool, spec: CellSpec,
             score: float | None) -> str:
    """The test cell's line, from the grader's own record of its score. A pass is worded here,
    never read from what the notebook printed; a failure shows the check's friendly line only
    when it is one, and never a line that holds a hidden test's text."""
    if not executed or outputs is None:
        return "not run: the notebook could not be graded (see the note above)"
    name = _exercise_name(spec)
    if score is not None and score >= (spec.points or 0):
        return f"\u2713 {name}: checks passed"
    secrets = hidden_lines(spec.source)
    for o in outputs:
        if o.get("output_type") == "error":
            ename = o.get("ename", "")
            lines = [ANSI.sub("", line) for line in o.get("traceback", [])]
            if ename in FRIENDLY and len(lines) == 1 and lines[0].startswith(MARKS) \
                    and not any(s in lines[0] for s in secrets):
                return lines[0].strip()[:500]
            if ename in STOPPED:
                return STOPPED[ename]
            if IDENTIFIER.fullmatch(ename or "") and not any(s in ename for s in secrets):
                return f"\u2717 {name}: the checks stopped with {ename}"
            break
    return f"\u2717 {name}: the checks did not pass"


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


def _points(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


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
                    f"<td>{_points(r.score)} / {r.max_score:g}</td>"
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
