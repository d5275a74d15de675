"""`mlsd lab` (what `make lab` runs) serves the learner's notebooks and the course's nbgrader
configuration; `mlsd lab --instructor` serves the repository, Formgrader included."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import ROOT
from lab_server import TOKEN, running_lab

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with running_lab(tmp_path_factory.mktemp("home")) as base:
        yield base


@pytest.fixture(scope="module")
def instructor_lab(tmp_path_factory):
    with running_lab(tmp_path_factory.mktemp("home"), instructor=True) as base:
        yield base


def _get(base, path):
    with urllib.request.urlopen(f"{base}{path}?token={TOKEN}", timeout=30) as r:
        return json.loads(r.read())


def _names(base, path):
    return {item["name"] for item in _get(base, path)["content"]}


def _validate(base, path):
    body = urllib.parse.urlencode({"path": path}).encode()
    request = urllib.request.Request(f"{base}/assignments/validate?token={TOKEN}", data=body)
    with urllib.request.urlopen(request, timeout=300) as r:
        return json.loads(r.read())


def test_a_learners_lab_serves_the_notebooks_and_not_the_solutions(lab):
    top = _names(lab, "/api/contents")
    assert {"00_start_here.ipynb", "01_requirements"} <= top
    assert not top & {"solutions", "grader", "notebooks"}, top
    assert "01_requirements.ipynb" in _names(lab, "/api/contents/01_requirements")
    for outside in ("/api/contents/..%2Fsolutions", "/api/contents/../solutions"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(lab, outside)
        assert refused.value.code in (400, 403, 404)


def test_an_instructors_lab_serves_the_repository(instructor_lab):
    assert {"notebooks", "solutions", "grader"} <= _names(instructor_lab, "/api/contents")


def test_formgrader_finds_the_course_configuration(instructor_lab):
    assignments = _get(instructor_lab, "/formgrader/api/assignments")
    names = {a["name"] for a in assignments}
    assert {p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()} <= names


def test_validate_button_fails_the_learners_stub(lab):
    stub = _validate(lab, "01_requirements/01_requirements.ipynb")
    assert stub["success"] and stub["value"].get("failed"), "the untouched stub must not validate"


def test_validate_button_passes_the_solution(instructor_lab):
    solution = _validate(instructor_lab, "solutions/01_requirements/01_requirements.ipynb")
    assert solution["success"] and not solution["value"].get("failed"), solution
