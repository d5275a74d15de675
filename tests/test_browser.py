"""The learner's path in a real browser: `mlsd lab` in headless Chromium, driven by Playwright.

The learner's JupyterLab (rooted at notebooks/) opens on the course map and the untouched
stub fails with a friendly line; in the instructor's (`mlsd lab --instructor`, rooted at the
repository) a solved notebook runs green with Run > Run All Cells and passes nbgrader's
Validate button, and the formgrader lists the assignments. Screenshots of each go to
build/screenshots/ (a failing step leaves `failed_<step>.png` there instead).

Chromium is Debian's (`make test` installs it with apt-get when it can); Playwright never
downloads a browser of its own here. Without Chromium or Playwright the test is skipped, or
fails when CI is set, since there the setup should have installed both.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import ROOT
from lab_server import TOKEN, running_lab

from mlsd import course

pytestmark = pytest.mark.slow

STEP = "01_requirements"
SCREENSHOTS = ROOT / "build" / "screenshots"
WORK = ROOT / "build" / "browser"  # git-ignored, inside what the instructor's lab serves
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]
VIEWPORT = {"width": 1440, "height": 900}
# Waits, in milliseconds: generous, never endless.
LOAD = 60_000        # JupyterLab's page, a notebook, a kernel
RUN_ALL = 120_000    # Run All Cells on the tiny click log (about 3 s here)
VALIDATE = 300_000   # nbgrader runs the whole notebook again (the Validate endpoint's limit)
# JupyterLab settings for the test's own HOME: never autosave (a stub opened in notebooks/
# is run but must not be written), and no news or update checks (no network, no toast).
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
}


def _missing() -> str | None:
    if shutil.which("chromium") is None:
        return ("Debian's Chromium is not installed (`make test` installs it as root with "
                "apt-get: `apt-get install -y chromium`)")
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (`make setup` installs the pinned one)"
    return None


def _git_status() -> str | None:
    """`git status --porcelain` of what the browser opens in notebooks/ and solutions/, or
    None outside a git clone. Only those paths: other steps may be written in the same
    work tree while the test runs, and their new files are none of this test's doing."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    paths = [f"notebooks/{course.START_PAGE}", f"notebooks/{STEP}", f"solutions/{STEP}"]
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", *paths],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser test under CI: {reason}. The setup should have installed it.")
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=LOAD)  # every expectation waits for its state, never only 5 s
    for stale in SCREENSHOTS.glob("failed_*.png"):
        stale.unlink()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=shutil.which("chromium"),
                                     args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def status_before():
    return _git_status()


class Lab(NamedTuple):
    url: str
    served: Path  # the folder JupyterLab serves: paths in its URLs are relative to it


@contextmanager
def _lab(tmp_path_factory, instructor: bool) -> Iterator[Lab]:
    home = tmp_path_factory.mktemp("browser-home")
    settings = home / "lab-settings"
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    with running_lab(home, [f"--LabApp.user_settings_dir={settings}",
                            f"--LabApp.workspaces_dir={home / 'workspaces'}"],
                     instructor=instructor) as base:
        yield Lab(base, ROOT if instructor else ROOT / "notebooks")


@pytest.fixture(scope="module")
def lab(browser, status_before, tmp_path_factory):
    with _lab(tmp_path_factory, instructor=False) as served:
        yield served


@pytest.fixture(scope="module")
def instructor_lab(browser, status_before, tmp_path_factory):
    with _lab(tmp_path_factory, instructor=True) as served:
        yield served


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(LOAD)
    yield page
    context.close()


@contextmanager
def step(page, name: str) -> Iterator[None]:
    """One step of the path; if it fails, `failed_<name>.png` shows the page as it was."""
    try:
        yield
    except BaseException:
        with suppress(Exception):
            page.screenshot(path=str(SCREENSHOTS / f"failed_{name}.png"))
        raise


def _shoot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _open(page, lab: Lab, path: Path, workspace: str):
    """Open a notebook in a workspace of its own; wait until its kernel is up and idle."""
    from playwright.sync_api import expect

    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/"
              f"{path.relative_to(lab.served).as_posix()}?token={TOKEN}")
    panel = page.locator(".jp-NotebookPanel:visible")
    expect(panel.locator(".jp-Notebook")).to_be_visible(timeout=LOAD)
    expect(panel.locator(".jp-KernelName")).to_have_text(_kernel(path), timeout=LOAD)
    _wait_idle(page, panel, LOAD)
    return panel


def _kernel(path: Path) -> str:
    return json.loads(path.read_text())["metadata"]["kernelspec"]["display_name"]


def _wait_idle(page, panel, timeout: int) -> None:
    """No cell waiting or running ([*]) and the kernel idle."""
    from playwright.sync_api import expect

    expect(page.locator("#jp-main-statusbar")).to_contain_text("| Idle", timeout=timeout)
    expect(panel.locator(".jp-InputPrompt", has_text="[*]")).to_have_count(0, timeout=timeout)
    expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute(
        "data-status", "idle", timeout=timeout)


def _run_all(page) -> None:
    """Run > Run All Cells, through the menu bar as a learner does."""
    page.get_by_role("menubar").get_by_role("menuitem", name="Run", exact=True).click()
    page.locator(".lm-Menu").get_by_role("menuitem", name="Run All Cells", exact=True).click()


def _texts(locator) -> list[str]:
    # textContent, not innerText: JupyterLab skips rendering cells outside the viewport.
    return locator.evaluate_all("els => els.map(e => e.textContent)")


def _show(page, locator, text: str) -> None:
    """Scroll an output to the middle of the screen and wait until it is painted."""
    handle = locator.element_handle()
    handle.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_function("([e, t]) => e.innerText.includes(t)", arg=[handle, text],
                           timeout=10_000)


def _code_cells(path: Path) -> int:
    cells = json.loads(path.read_text())["cells"]
    return sum(c["cell_type"] == "code" for c in cells)


def _exercises(path: Path) -> list[str]:
    source = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                     if c["cell_type"] == "code")
    return re.findall(r'with exercise\("([^"]+)"\)', source)


def test_the_landing_page_shows_the_course_map(page, lab):
    from playwright.sync_api import expect

    with step(page, "landing"):
        page.goto(f"{lab.url}/?token={TOKEN}")  # JupyterLab's default URL: the start page
        panel = page.locator(".jp-NotebookPanel:visible")
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
        expect(tab).to_have_text(course.START_PAGE, timeout=LOAD)
        expect(panel.locator(".jp-RenderedMarkdown h2", has_text="The course map")).to_be_visible()
        kernel = _kernel(ROOT / "notebooks" / course.START_PAGE)
        expect(page.locator("#jp-main-statusbar")).to_contain_text(f"{kernel} | Idle")
        _shoot(page, "landing")


def test_a_solved_notebook_runs_green_and_validates(page, instructor_lab):
    from playwright.sync_api import expect

    source = course.solution(STEP)
    copy = WORK / STEP / f"{STEP}.ipynb"
    shutil.rmtree(copy.parent, ignore_errors=True)
    copy.parent.mkdir(parents=True)
    shutil.copy(source, copy)
    names = _exercises(source)
    assert names, f"{source.name} has no `with exercise(...)` checks"

    with step(page, "passing_notebook"):
        panel = _open(page, instructor_lab, copy, "solution")
        _run_all(page)
        passed = panel.locator(".jp-OutputArea-output",
                               has_text=re.compile(r"✓ \w+: checks passed"))
        expect(passed.first).to_be_attached(timeout=RUN_ALL)  # the run has begun ...
        _wait_idle(page, panel, RUN_ALL)  # ... and every queued cell has run
        lines = "\n".join(_texts(passed))
        for name in names:
            assert f"✓ {name}: checks passed" in lines, f"no ✓ line for {name}: {lines}"
        outputs = " ".join(_texts(panel.locator(".jp-OutputArea-output")))
        assert "✗" not in outputs and "not attempted" not in outputs and "Traceback" not in outputs
        prompts = _texts(panel.locator(".jp-InputPrompt"))
        ran = [p for p in prompts if re.fullmatch(r"\[\d+\]:", p.strip())]
        assert len(ran) == _code_cells(source), f"Run All ran {len(ran)} code cells: {prompts}"
        _show(page, passed.first, "checks passed")
        _shoot(page, "passing_notebook")

    with step(page, "validation"):
        toolbar = panel.locator(".jp-NotebookPanel-toolbar")
        toolbar.get_by_role("button", name="Validate", exact=True).click()
        dialog = page.locator(".jp-Dialog")
        expect(dialog).to_be_visible(timeout=VALIDATE)
        assert "nbgrader-SuccessDialog" in (dialog.get_attribute("class") or ""), \
            dialog.inner_text()
        expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation Results")
        expect(dialog.locator("#validation-message.validation-success")).to_have_text(
            "Success! Your notebook passes all the tests.")
        _shoot(page, "validation")
        dialog.locator("button.jp-Dialog-button", has_text="Ok").click()
        expect(dialog).to_have_count(0)


def test_the_untouched_stub_fails_in_a_friendly_way(page, lab):
    from playwright.sync_api import expect

    before = _git_status()
    stub = course.release(STEP)
    first = _exercises(stub)[0]
    with step(page, "stub_notebook"):
        panel = _open(page, lab, stub, "stub")
        _run_all(page)
        friendly = panel.locator(".jp-OutputArea-output", has_text="not attempted yet")
        expect(friendly.first).to_be_attached(timeout=RUN_ALL)
        _wait_idle(page, panel, RUN_ALL)
        # Run All stops at the first failing check: the first exercise's line, no traceback.
        assert _texts(friendly)[0].startswith(f"… {first}: not attempted yet"), _texts(friendly)
        outputs = " ".join(_texts(panel.locator(".jp-OutputArea-output")))
        assert "Traceback" not in outputs and "✓" not in outputs, outputs[:2000]
        _show(page, friendly.first, "not attempted yet")
        _shoot(page, "stub_notebook")

    with step(page, "stub_closed_unsaved"):
        page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current "
                     ".lm-TabBar-tabCloseIcon").click()
        dialog = page.locator(".jp-Dialog")
        expect(dialog).to_contain_text("Save your work")
        dialog.locator("button.jp-Dialog-button", has_text="Discard").click()
        expect(page.locator(".jp-NotebookPanel")).to_have_count(0)
    assert _git_status() == before, "running the stub in the browser changed tracked notebooks"


def test_the_formgrader_lists_the_assignments(page, instructor_lab):
    from playwright.sync_api import expect

    with step(page, "formgrader"):
        page.goto(f"{instructor_lab.url}/formgrader?token={TOKEN}")
        expect(page.get_by_role("heading", name="Manage Assignments")).to_be_visible()
        table = page.locator("table")
        for name in course.steps():  # the table fills in once the assignments have loaded
            expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(table).not_to_contain_text("Loading")
        # no warning: not the missing exchange, nor a missing course id
        warnings = page.locator(".alert-warning, .alert-danger")
        expect(warnings).to_have_count(0)
        _shoot(page, "formgrader")


def test_opening_and_saving_a_released_notebook_changes_no_byte(page, instructor_lab):
    """JupyterLab adds the kernel's details to a notebook it opens; the course's save hook
    drops them, so a contributor who merely opens a released notebook changes nothing."""
    from playwright.sync_api import expect

    release = course.release(STEP)
    copy = WORK / "opened" / f"{STEP}.ipynb"
    shutil.rmtree(copy.parent, ignore_errors=True)
    copy.parent.mkdir(parents=True)
    shutil.copy(release, copy)
    before = copy.stat().st_mtime_ns
    with step(page, "open_and_save"):
        panel = _open(page, instructor_lab, copy, "opened")
        panel.locator(".jp-Notebook").click()
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + LOAD / 1000  # wait for the file, not a fixed time
        while copy.stat().st_mtime_ns == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert copy.stat().st_mtime_ns != before, "JupyterLab did not save the notebook"
        expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current"))\
            .not_to_have_class(re.compile(r"jp-mod-dirty"))
    assert copy.read_bytes() == release.read_bytes(), \
        "saving an opened release changed it: " + json.dumps(
            json.loads(copy.read_text())["metadata"])


def test_no_tracked_notebook_changed(lab, instructor_lab, status_before):
    if status_before is None:
        pytest.skip("not a git clone: nothing to compare")
    assert _git_status() == status_before, "the browser test changed files it opened"
