"""The course's layout: where the steps, solutions, release and grader live."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .data import repo_root

STEP = re.compile(r"^\d\d_[a-z_]+$")
START_PAGE = "00_start_here.ipynb"  # the landing page JupyterLab opens on


def root() -> Path:
    found = repo_root()
    if found is None:
        raise RuntimeError(
            "This command works on a clone of the course repository: install the mlsd package "
            "from the clone with `pip install -e .` (the Makefile does it)."
        )
    return found


def steps(base: Path | None = None) -> list[str]:
    """Assignment names, in course order: every `NN_name/NN_name.ipynb` under solutions/."""
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
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


def use_tool_env() -> None:
    os.environ.update(tool_env())


def lab_command(extra: list[str] = ()) -> tuple[list[str], dict]:
    """JupyterLab on the course: rooted at the repository, opening on notebooks/, with the
    course's nbgrader configuration on Jupyter's config path so the Validate button and
    formgrader find it whatever folder JupyterLab was started from."""
    env = tool_env()
    grader = str(root() / "grader")
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (grader, os.environ.get("JUPYTER_CONFIG_PATH", "")) if p
    )
    command = [
        str(Path(sys.executable).parent / "jupyter"), "lab",
        f"--ServerApp.root_dir={root()}",
        f"--LabApp.default_url=/lab/tree/notebooks/{START_PAGE}",
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI machines often run as root
    return command, env
