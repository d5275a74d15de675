"""The sandbox on small programs: the wall clock takes down every process, memory and CPU are
limited, and where the system allows namespaces, no network and no file outside the job."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

from mlsd.grading.sandbox import Limits, Spec, run


def _spec(job: Path, code: str, hide=(), **limits) -> Spec:
    job.mkdir(parents=True, exist_ok=True)
    return Spec(argv=[sys.executable, "-I", "-c", code], cwd=str(job), env={"PATH": "/usr/bin"},
                limits=Limits(**{"wall_clock": 30, **limits}).__dict__,
                log=str(job / "log.txt"), writable=[str(job)], hide=list(hide),
                expose=[sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent)])


@pytest.fixture(scope="module")
def isolated(tmp_path_factory):
    """Which layers this machine gives (namespaces are Linux-only and may be disabled)."""
    job = tmp_path_factory.mktemp("probe")
    return set(run(_spec(job, "pass")).isolation)


def _needs(layer: str, isolated: set[str]) -> None:
    """Skip where the system gives no such namespace; under CI (Linux, as root) it must."""
    if layer not in isolated:
        if os.environ.get("CI") and sys.platform.startswith("linux"):
            pytest.fail(f"the sandbox built no {layer} layer under CI: {sorted(isolated)}")
        pytest.skip(f"no {layer} namespace on this machine")


def test_the_wall_clock_kills_every_process_the_program_started(tmp_path):
    beat = tmp_path / "job" / "beat.txt"
    code = f"""
import os, signal, subprocess, sys, time
child = '''
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    open({str(beat)!r}, "a").write("x")
    time.sleep(0.1)
'''
subprocess.Popen([sys.executable, "-c", child], start_new_session=True)
while True:
    time.sleep(1)
"""
    started = time.monotonic()
    outcome = run(_spec(tmp_path / "job", code, wall_clock=3))
    assert outcome.timed_out and time.monotonic() - started < 15
    size = beat.stat().st_size
    time.sleep(1)
    assert beat.stat().st_size == size, "a process outlived the wall clock"


def test_memory_is_limited(tmp_path):
    outcome = run(_spec(tmp_path / "job", "x = bytearray(3 * 2**30)", memory_mb=1024))
    assert outcome.returncode == 1 and not outcome.timed_out
    assert "MemoryError" in (tmp_path / "job" / "log.txt").read_text()


def test_cpu_time_is_limited(tmp_path):
    outcome = run(_spec(tmp_path / "job", "while True: pass", cpu_seconds=1))
    # the CPU limit stopped it (SIGXCPU, then SIGKILL), not the wall clock
    assert outcome.returncode in (-signal.SIGXCPU, -signal.SIGKILL), outcome
    assert not outcome.timed_out


def test_a_program_that_ends_reports_its_exit_status(tmp_path):
    outcome = run(_spec(tmp_path / "job", "import sys; print('hi'); sys.exit(3)"))
    assert outcome.returncode == 3 and not outcome.timed_out
    assert "hi" in (tmp_path / "job" / "log.txt").read_text()
    assert "limits" in outcome.isolation


def test_no_network_but_its_own_loopback(tmp_path, isolated):
    _needs("network", isolated)
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    code = f"""
import socket
print("interfaces", [name for _, name in socket.if_nameindex()])
own = socket.socket(); own.bind(("127.0.0.1", 0)); own.listen()
socket.create_connection(own.getsockname(), 2).close()
print("own loopback works")
try:
    socket.create_connection(("127.0.0.1", {port}), 2)
    print("reached the host")
except OSError:
    print("host unreachable")
"""
    run(_spec(tmp_path / "job", code))
    server.close()
    log = (tmp_path / "job" / "log.txt").read_text()
    assert "interfaces ['lo']" in log and "own loopback works" in log
    assert "host unreachable" in log, log


def test_files_outside_the_job_are_hidden_or_read_only(tmp_path, isolated):
    _needs("files", isolated)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "answers.txt").write_text("42")
    outside = Path(sys.prefix) / "sandbox-was-here.txt"
    spec = _spec(tmp_path / "job", "", hide=[str(secret), tempfile.gettempdir()])
    # what may show in the temp folder: the way to the job, and the way to what is put back
    # read-only (the Python environment, when the checkout lives in the temp folder)
    temp = Path(tempfile.gettempdir())
    mine = sorted({Path(p).relative_to(temp).parts[0] for p in spec.writable + spec.expose
                   if Path(p).is_relative_to(temp)})
    code = f"""
from pathlib import Path
for what, action in [
    ("read hidden", lambda: Path({str(secret / 'answers.txt')!r}).read_text()),
    ("write outside", lambda: Path({str(outside)!r}).write_text("x")),
    ("list temp", lambda: [p for p in Path({tempfile.gettempdir()!r}).iterdir()
                           if p.name not in {mine!r}]),
    ("write own", lambda: Path("mine.txt").write_text("x")),
]:
    try:
        ok = bool(action())
    except OSError:
        ok = False
    print(what, "ALLOWED" if ok else "denied")
"""
    spec.argv[-1] = code
    run(spec)
    log = (tmp_path / "job" / "log.txt").read_text()
    assert "read hidden denied" in log and "write outside denied" in log, log
    assert "list temp denied" in log and "write own ALLOWED" in log, log
    assert not outside.exists()
