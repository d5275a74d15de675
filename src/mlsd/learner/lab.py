"""What `mlsd lab` (and so `make lab`) runs: JupyterLab on the learner's notebooks (or, for
instructors, the repository), its nbgrader configuration found from any folder, and notebooks
saved without machine-specific metadata."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..course import START_PAGE, root, tool_env


def lab_command(extra: list[str] = (), instructor: bool = False) -> tuple[list[str], dict]:
    """JupyterLab on the course, with the course's nbgrader configuration on Jupyter's config
    path so the Validate button and Formgrader find it whatever folder it was started from.

    A learner's JupyterLab is rooted at notebooks/ and opens on the start page: the solutions
    are not a click away. An instructor's (`instructor=True`) is rooted at the repository, for
    Formgrader's manual grading and for editing solutions/."""
    env = tool_env()
    grader = str(root() / "grader")
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (grader, os.environ.get("JUPYTER_CONFIG_PATH", "")) if p
    )
    served = root() if instructor else root() / "notebooks"
    start = f"notebooks/{START_PAGE}" if instructor else START_PAGE
    command = [
        str(Path(sys.executable).parent / "jupyter"), "lab",
        f"--ServerApp.root_dir={served}",
        f"--LabApp.default_url=/lab/tree/{start}",
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI machines often run as root
    return command, env


def normalise_on_save(model: dict, **_) -> None:
    """JupyterLab's `pre_save_hook` (grader/jupyter_server_config.py): keep only the language's
    name in `language_info`.

    On opening a notebook, JupyterLab fills in what the running kernel reports (the Python
    version among it) and marks the notebook changed, so merely opening a released notebook
    would rewrite it on autosave. Dropping the details again makes such a save byte for byte
    what was released; nothing reads them.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    info = model["content"].get("metadata", {}).get("language_info")
    if isinstance(info, dict) and "name" in info:
        model["content"]["metadata"]["language_info"] = {"name": info["name"]}
