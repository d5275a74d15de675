"""Grading round trip through real nbgrader: every test cell is worth its points.

For each step: the solution scores full marks, the untouched release scores zero on every
autograded cell, and each plausible wrong answer in tests/wrong_answers/ loses its exercise's
points while every other cell keeps full marks.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import STEPS, make_course, wrong_answers
from roundtrip import autograde

from mlsd.authoring.release import release

pytestmark = pytest.mark.slow

WRONG_CASES = [
    (step, cell, name)
    for step in STEPS
    for cell, entry in wrong_answers(step).items()
    for name in entry["answers"]
]


def _student(cell: str, name: str) -> str:
    return f"wrong-{cell}-{name}".replace("_", "-")


def _submissions(step: str, source: Path, released: Path) -> dict[str, nbformat.NotebookNode]:
    solution = nbformat.read(source, as_version=4)
    subs = {"solution": solution, "stub": nbformat.read(released, as_version=4)}
    for cell_id, entry in wrong_answers(step).items():
        for name, code in entry["answers"].items():
            nb = nbformat.from_dict(solution)
            cells = [c for c in nb.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") == cell_id]
            assert len(cells) == 1, f"{step}: no solution cell {cell_id!r} for the wrong answers"
            cells[0].source = code.strip("\n")
            subs[_student(cell_id, name)] = nb
    return subs


def _grade_chunk(args):
    """One worker: its own course copy (its own gradebook), release, submit, autograde."""
    workdir, jobs = args
    # The round trip proves scores, not pictures (tests/test_execution.py checks the plots):
    # its kernels draw figures without rendering them to PNG, and they are forked from a
    # process that has imported the course's libraries (tests/warm_kernels.py). Together
    # that is two thirds of a notebook's time on the tiny log.
    os.environ["MPLBACKEND"] = "agg"
    config = make_course(Path(workdir))
    with config.open("a") as f:
        f.write('\nc.Execute.kernel_manager_class = "warm_kernels.WarmKernelManager"\n')
    steps = sorted({step for step, _, _ in jobs})
    release(steps, config_file=config, gradebook=True)  # autograding needs the assignments
    scores = {}
    for step in steps:
        students = []
        for job_step, student, nb in jobs:
            if job_step == step:
                target = Path(workdir) / "grader" / "submitted" / student / step / f"{step}.ipynb"
                target.parent.mkdir(parents=True)
                nbformat.write(nb, target)
                students.append(student)
        scores[step] = autograde(step, students, config_file=config)
    return scores


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """{step: {student: {grade_id: CellScore}}} for every submission, graded in parallel."""
    base = tmp_path_factory.mktemp("grading")
    release_config = make_course(base / "release")
    release(STEPS, config_file=release_config)
    jobs = []
    for step in STEPS:
        released = base / "release" / "notebooks" / step / f"{step}.ipynb"
        source = base / "release" / "solutions" / step / f"{step}.ipynb"
        for student, nb in _submissions(step, source, released).items():
            jobs.append((step, student, nb))
    workers = max(1, min(os.cpu_count() or 1, 2))
    chunks = [(str(base / f"worker{k}"), jobs[k::workers]) for k in range(workers)]
    results: dict = {step: {} for step in STEPS}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_grade_chunk, chunks):
            for step, by_student in part.items():
                results[step].update(by_student)
    return results


def _auto(cells: dict) -> dict:
    return {k: v for k, v in cells.items() if v.autograded}


@pytest.mark.parametrize("step", STEPS)
def test_solution_scores_full_marks(graded, step):
    cells = _auto(graded[step]["solution"])
    assert cells, f"{step} has no autograded test cell"
    lost = {k: (v.score, v.max_score) for k, v in cells.items() if v.score != v.max_score}
    assert not lost, f"the solution of {step} loses points in {lost}"


@pytest.mark.parametrize("step", STEPS)
def test_released_stub_scores_zero(graded, step):
    assert set(_auto(graded[step]["stub"])) == set(_auto(graded[step]["solution"])), \
        f"the stub of {step} was not graded on every test cell"
    scored = {k: v.score for k, v in _auto(graded[step]["stub"]).items() if v.score != 0}
    assert not scored, f"the untouched release of {step} earns points in {scored}"


@pytest.mark.parametrize("step", STEPS)
def test_every_exercise_has_wrong_answers(graded, step):
    catalogue = wrong_answers(step)
    tested = {t for entry in catalogue.values() for t in entry["tests"]}
    untested = set(_auto(graded[step]["solution"])) - tested
    assert not untested, f"{step}: test cells without a wrong-answer catalogue: {sorted(untested)}"
    thin = [cell for cell, entry in catalogue.items() if len(entry["answers"]) < 2]
    assert not thin, f"{step}: exercises with fewer than two wrong answers: {thin}"


@pytest.mark.parametrize(("step", "cell", "name"), WRONG_CASES,
                         ids=[f"{s}-{c}-{n}" for s, c, n in WRONG_CASES])
def test_wrong_answer_loses_its_points(graded, step, cell, name):
    cells = _auto(graded[step][_student(cell, name)])
    targets = set(wrong_answers(step)[cell]["tests"])
    kept = {k: cells[k].score for k in targets if cells[k].score != 0}
    assert not kept, f"wrong answer {name!r} to {cell} still earns {kept}"
    others = {k: (v.score, v.max_score) for k, v in cells.items()
              if k not in targets and v.score != v.max_score}
    assert not others, f"wrong answer {name!r} to {cell} also costs points in {others}"
