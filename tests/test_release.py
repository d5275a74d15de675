"""notebooks/ is exactly what nbgrader generates from solutions/, and carries no answers."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import ROOT, STEPS, make_course

from mlsd.authoring.release import release


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    base = tmp_path_factory.mktemp("release")
    config = make_course(base)
    release(None, config_file=config)
    return base / "notebooks"


def _files(folder):
    """Files a release makes, without JupyterLab's hidden checkpoints (git ignores them)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in
                                             p.relative_to(folder).parts))


def test_notebooks_match_a_fresh_release(regenerated):
    assert _files(regenerated) == _files(ROOT / "notebooks"), \
        "notebooks/ holds other files than the release makes: run `mlsd release`"
    stale = [f for f in _files(regenerated)
             if (regenerated / f).read_bytes() != (ROOT / "notebooks" / f).read_bytes()]
    assert not stale, f"notebooks/ is out of date with solutions/ in {stale}: run `mlsd release`"


def test_release_is_byte_for_byte_repeatable(regenerated, tmp_path):
    config = make_course(tmp_path)
    release(None, config_file=config)
    again = tmp_path / "notebooks"
    assert _files(again) == _files(regenerated)
    assert all((again / f).read_bytes() == (regenerated / f).read_bytes() for f in _files(again))


@pytest.mark.parametrize("step", STEPS)
def test_student_notebook_has_no_outputs_and_no_answers(step):
    path = ROOT / "notebooks" / step / f"{step}.ipynb"
    nb = nbformat.read(path, as_version=4)
    text = path.read_text()
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "Model answer"):
        assert marker not in text, f"{path.name} contains {marker!r}"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs"
    released = {line.strip() for cell in nb.cells for line in cell.source.splitlines()}
    leaked = sorted(_secret_lines(step) & released)
    assert not leaked, f"{path.name} holds lines of the solutions or hidden tests: {leaked[:3]}"


def _secret_lines(step: str) -> set[str]:
    """Lines inside the solution's BEGIN/END SOLUTION and HIDDEN TESTS regions that appear
    nowhere else in the source notebook (so a line of given code is no false alarm)."""
    nb = nbformat.read(ROOT / "solutions" / step / f"{step}.ipynb", as_version=4)
    inside, outside = set(), set()
    for cell in nb.cells:
        region = False
        for line in cell.source.splitlines():
            if re.search(r"BEGIN (SOLUTION|HIDDEN TESTS)", line):
                region = True
            elif re.search(r"END (SOLUTION|HIDDEN TESTS)", line):
                region = False
            elif len(line.strip()) >= 12:
                (inside if region else outside).add(line.strip())
    assert inside, f"{step} has no solution or hidden test to check for"
    return inside - outside


@pytest.mark.parametrize("step", STEPS)
def test_solution_notebook_follows_course_conventions(step):
    path = ROOT / "solutions" / step / f"{step}.ipynb"
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and "PRESET" in "".join(tagged[0]["source"]), \
        f"{step} needs exactly one cell tagged `parameters` that sets PRESET"
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), \
        f"{step}: solution notebooks are committed without outputs (CI executes them)"
    graded = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    written = [c for c in graded if c["cell_type"] == "markdown"]
    auto = [c for c in graded if c["cell_type"] == "code"]
    assert written, f"{step} needs at least one manually graded written answer"
    assert len(auto) >= 3, f"{step}: a step needs at least three autograded exercises"


def test_the_start_page_links_to_every_released_step():
    from mlsd.course import START_PAGE

    page = nbformat.read(ROOT / "notebooks" / START_PAGE, as_version=4)
    text = "\n".join(c.source for c in page.cells)
    links = set(re.findall(r"\]\(([^)]+\.ipynb)\)", text))
    assert all((ROOT / "notebooks" / link).is_file() for link in links), \
        f"the start page links to notebooks that do not exist: {sorted(links)}"
    assert {f"{s}/{s}.ipynb" for s in STEPS} <= links, "a step is missing from the course map"
