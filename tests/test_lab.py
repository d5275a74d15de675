"""`mlsd lab` (what `make lab` runs) serves the course and its nbgrader configuration."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow
TOKEN = "mlsd-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port = _free_port()
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    mlsd = Path(sys.executable).parent / "mlsd"
    proc = subprocess.Popen(
        [str(mlsd), "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", "--ServerApp.port_retries=0"],
        cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.5)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


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
