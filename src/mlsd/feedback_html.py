"""The feedback page a learner gets for one graded notebook, without the grader's secrets.

nbgrader's own `generate_feedback` renders the whole autograded notebook, hidden tests and
tracebacks included. This page shows, for each graded cell, its name, the points and the one
line the course's checks print (`✓ name: checks passed`, `✗ name: <friendly message>`,
`… name: not attempted yet`), plus a written answer's grade and the grader's comment. It never
shows a cell's source, an error's value or a traceback: an error that is not one of the
course's friendly checks is reported by its type only.
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
STOPPED = {"KeyboardInterrupt": "stopped: the cell ran over its time limit",
           "CellTimeoutError": "stopped: the cell ran over its time limit",
           "MemoryError": "stopped: the cell ran out of memory"}


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
            message = _message(outputs.get(name), notebook is not None)
        out.append(Row(name, written, scores.get(name), spec.points or 0.0, message,
                       comments.get(name)))
    return out


def _message(outputs: list | None, executed: bool) -> str:
    if not executed or outputs is None:
        return "not run: the notebook could not be graded (see the note above)"
    for o in outputs:
        if o.get("output_type") == "error":
            name = o.get("ename", "")
            lines = [ANSI.sub("", line) for line in o.get("traceback", [])]
            if name in FRIENDLY and len(lines) == 1 and lines[0].startswith(MARKS):
                return lines[0].strip()
            return STOPPED.get(name, f"the checks stopped with {name or 'an error'}")
    for o in outputs:
        if o.get("output_type") == "stream":
            text = o.get("text", "")
            for line in ("".join(text) if isinstance(text, list) else text).splitlines():
                if line.startswith(MARKS):
                    return line.strip()
    return "checks ran"


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
