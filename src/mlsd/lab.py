"""What `mlsd lab` (and so `make lab`) runs: JupyterLab on the course, its nbgrader
configuration found from any folder, and notebooks saved without machine-specific metadata."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .course import START_PAGE, root, tool_env


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
