"""The course's layout: where the steps, solutions, release and grader live."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

STEP = re.compile(r"^\d\d[a-z]?_[a-z_]+$")
START_PAGE = "00_start_here.ipynb"  # the landing page JupyterLab opens on


def repo_root() -> Path | None:
    """The course repository this package was installed from (editable install), if any."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "solutions").is_dir() else None


def learner_id(text: str) -> str:
    """A learner's id as the course keeps it: safe as a folder name and as nbgrader's student
    id. `Jane Smith` and `Jane-Smith` are one learner, with one log."""
    return re.sub(r"[^A-Za-z0-9_.@-]+", "-", text).strip("-._")


def root() -> Path:
    found = repo_root()
    if found is None:
        raise RuntimeError(
            "This command works on a clone of the course repository: install the mlsd package "
            "from the clone with `pip install -e .` (the Makefile does it)."
        )
    return found


def steps(base: Path | None = None) -> list[str]:
    """Assignment names, in course order: every `NN_name/NN_name.ipynb` under solutions/ (a
    letter after the number, as in `03b_scale`, places a step between two others)."""
    base = base or root() / "solutions"
    return sorted(
        p.name for p in base.iterdir() if STEP.match(p.name) and (p / f"{p.name}.ipynb").is_file()
    )


def solution(step: str) -> Path:
    return root() / "solutions" / step / f"{step}.ipynb"


def release(step: str) -> Path:
    return root() / "notebooks" / step / f"{step}.ipynb"


def grader_config_file() -> Path:
    return root() / "grader" / "nbgrader_config.py"


def tool_env() -> dict:
    """The environment for tools nbgrader runs as subprocesses (alembic, kernels): this
    interpreter's bin/ first on PATH, so they come from the course's environment."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    rest = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != bindir]
    env["PATH"] = os.pathsep.join([bindir, *rest])  # first, and once however often called
    return env


def use_tool_env() -> None:
    os.environ.update(tool_env())
