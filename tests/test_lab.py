"""`mlsd lab` (what `make lab` runs) serves the course and its nbgrader configuration."""

from __future__ import annotations

import json
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


def _get(base, path):
    with urllib.request.urlopen(f"{base}{path}?token={TOKEN}", timeout=30) as r:
        return json.loads(r.read())


def _validate(base, path):
    body = urllib.parse.urlencode({"path": path}).encode()
    request = urllib.request.Request(f"{base}/assignments/validate?token={TOKEN}", data=body)
    with urllib.request.urlopen(request, timeout=300) as r:
        return json.loads(r.read())


def test_lab_lists_the_course_from_any_folder(lab):
    listing = _get(lab, "/api/contents/notebooks/01_requirements")
    assert "01_requirements.ipynb" in {item["name"] for item in listing["content"]}
    start = _get(lab, "/api/contents/notebooks")
    assert "00_start_here.ipynb" in {item["name"] for item in start["content"]}


def test_formgrader_finds_the_course_configuration(lab):
    assignments = _get(lab, "/formgrader/api/assignments")
    names = {a["name"] for a in assignments}
    assert {p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()} <= names


def test_validate_button_passes_the_solution_and_fails_the_stub(lab):
    solution = _validate(lab, "solutions/01_requirements/01_requirements.ipynb")
    assert solution["success"] and not solution["value"].get("failed"), solution
    stub = _validate(lab, "notebooks/01_requirements/01_requirements.ipynb")
    assert stub["success"] and stub["value"].get("failed"), "the untouched stub must not validate"
