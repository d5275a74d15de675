"""papermill executes every solution notebook end to end on the tiny preset."""

from __future__ import annotations

import nbformat
import pytest
from conftest import STEPS, TEST_PRESET

from mlsd.authoring.run import build_dir, run_course

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed():
    """Run as `mlsd run` does: the executed copies and summary.json stay in build/runs/tiny/
    (git-ignored), where CI picks them up as artifacts."""
    summary = run_course(TEST_PRESET, STEPS, echo=lambda *_: None)
    out = build_dir(TEST_PRESET)
    return {e["notebook"]: (e, out / f"{e['notebook']}.ipynb") for e in summary["notebooks"]}


@pytest.mark.parametrize("step", STEPS)
def test_solution_notebook_runs(executed, step):
    entry, _ = executed[step]
    assert entry["status"] == "ok", f"{step} failed: {entry['error']}"
    assert entry["figures"], f"{step} records no headline figure (mlsd.record)"


@pytest.mark.parametrize("step", STEPS)
def test_solution_notebook_draws_a_plot(executed, step):
    nb = nbformat.read(executed[step][1], as_version=4)
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert images, f"{step} shows no figure"


@pytest.mark.parametrize("step", STEPS)
def test_every_visible_check_passes_in_the_solution(executed, step):
    nb = nbformat.read(executed[step][1], as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            grade_id = cell.metadata.nbgrader.grade_id
            assert not errors, f"{step}: {grade_id} fails: {errors[0].evalue}"
            stderr = [o for o in cell.outputs if o.get("name") == "stderr"]
            assert not stderr, f"{step}: {cell.metadata.nbgrader.grade_id} writes to stderr"
