"""JupyterLab started the way `make lab` starts it (`mlsd lab`), for the tests that need it.

The server listens on a free loopback port with a fixed token, opens no browser, and runs
with HOME in a temporary folder, so the tester's own Jupyter settings play no part.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

TOKEN = "mlsd-test-token"
START_TIMEOUT = 180  # seconds for the server to answer /api/status, however busy the machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_lab(home: Path, extra: Sequence[str] = (), instructor: bool = False) -> Iterator[str]:
    """`mlsd lab` (`--instructor` if asked) in the background; yields its base URL and stops
    it afterwards.

    Its output goes to `home/lab.log` (a pipe nobody reads would fill up and stall a busy
    server); the log's tail is in the failure message if the server does not start.
    """
    port = free_port()
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    mlsd = Path(sys.executable).parent / "mlsd"
    log_path = home / "lab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(mlsd), "lab", *(["--instructor"] if instructor else []), "--no-browser",
             f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
             f"--IdentityProvider.token={TOKEN}", "--ServerApp.port_retries=0", *extra],
            cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=10)
                break
            except OSError:  # refused, reset or slow to answer: a busy machine, try again
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-2000:]
                    pytest.fail(f"JupyterLab did not start: {tail}")
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
