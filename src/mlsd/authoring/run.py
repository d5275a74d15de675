"""Execute the solution notebooks with papermill and summarise what they report."""

from __future__ import annotations

import json
import time
from pathlib import Path

from .. import course
from ..clicklog.data import separate_build_dir
from ..learner.figures import figures_in


def build_dir(preset: str) -> Path:
    return course.root() / "build" / "runs" / preset


def run_notebook(source: Path, output: Path, preset: str, timeout: int = 900) -> dict:
    """Run one notebook in its own folder with the `parameters` cell set to `preset`."""
    import nbformat
    import papermill as pm

    course.use_tool_env()
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    entry = {"notebook": source.stem, "status": "ok", "error": None}
    try:
        with separate_build_dir():
            pm.execute_notebook(
                str(source), str(output), parameters={"PRESET": preset}, kernel_name="python3",
                cwd=str(source.parent), progress_bar=False, execution_timeout=timeout,
            )
    except pm.PapermillExecutionError as err:
        entry.update(status="failed", error=f"cell {err.exec_count}: {err.ename}: {err.evalue}")
    except Exception as err:  # a notebook that cannot even start is a failure of that notebook
        entry.update(status="failed", error=f"{type(err).__name__}: {err}")
    entry["seconds"] = round(time.perf_counter() - started, 2)
    entry["figures"] = figures_in(nbformat.read(output, as_version=4)) if output.exists() else {}
    return entry


def run_course(preset: str = "tiny", steps: list[str] | None = None, out: Path | None = None,
               echo=print) -> dict:
    """Execute every solution notebook; write `summary.json` beside the executed copies."""
    out = Path(out) if out else build_dir(preset)
    out.mkdir(parents=True, exist_ok=True)
    summary = {"preset": preset, "notebooks": []}
    chosen = steps or course.steps()
    for step in chosen:
        echo(f"running {step} at preset '{preset}' ...")
        entry = run_notebook(course.solution(step), out / f"{step}.ipynb", preset)
        echo(f"  {entry['status']} in {entry['seconds']:.1f} s"
             + (f": {entry['error']}" if entry["error"] else ""))
        summary["notebooks"].append(entry)
    summary["ok"] = all(e["status"] == "ok" for e in summary["notebooks"])
    _merge_into(out / "summary.json", summary)
    return summary


def _merge_into(path: Path, summary: dict) -> None:
    """Keep the entries of steps not run this time, so running one step loses nothing."""
    try:
        earlier = json.loads(path.read_text())
    except (OSError, ValueError):
        earlier = {}
    ran = {e["notebook"] for e in summary["notebooks"]}
    kept = [e for e in earlier.get("notebooks", []) if e.get("notebook") not in ran]
    merged = sorted(kept + summary["notebooks"], key=lambda e: e["notebook"])
    everything = {"preset": summary["preset"], "notebooks": merged,
                  "ok": all(e["status"] == "ok" for e in merged)}
    path.write_text(json.dumps(everything, indent=2) + "\n")
