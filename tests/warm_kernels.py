"""Kernels forked from a warm process, for the suite's nbgrader round trip.

The round trip runs some 160 notebooks; a third of each run is starting Python, ipykernel
and the course's libraries (NumPy, pandas, scikit-learn, xgboost, matplotlib). A *zygote*
process imports them once; each kernel nbgrader asks for is forked from it and then starts
exactly as `python -m ipykernel_launcher -f <connection file>` would, in its own session,
folder and environment. What the notebook runs, and how nbgrader reads and scores its
outputs, is unchanged: only the imports were done before the fork.

Use it as nbgrader's kernel manager: `c.Execute.kernel_manager_class =
"warm_kernels.WarmKernelManager"` (its module must be importable where nbgrader runs).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from jupyter_client.manager import AsyncKernelManager

# What every notebook of the course imports; anything else is imported by the kernel as usual.
PRELOAD = ("numpy", "pandas", "pyarrow", "scipy.stats", "sklearn.linear_model",
           "sklearn.metrics", "sklearn.preprocessing", "xgboost", "matplotlib",
           "ipykernel.kernelapp", "mlsd", "mlsd.learner.plotting", "mlsd.clicklog.oracle", "mlflow",
           "mlflow.sklearn")
LAUNCHER = ("-m", "ipykernel_launcher")


def _zygote(sock: socket.socket) -> None:
    """Import, then fork one kernel per request (a JSON line: argv, env, cwd)."""
    import importlib

    os.environ.setdefault("MPLBACKEND", "agg")  # read when matplotlib is imported, below
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional library only costs its own import later
            pass
    signal.signal(signal.SIGCHLD, lambda *_: _reap())
    stream = sock.makefile("rw")
    stream.write("ready\n")
    stream.flush()
    for line in stream:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            sock.close()
            _become_kernel(request)  # never returns
        stream.write(f"{pid}\n")
        stream.flush()
    os._exit(0)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_kernel(request: dict) -> None:
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = [request["argv"][0], *request["argv"][3:]]
        app = IPKernelApp.instance(parent_handle=os.getppid())  # exits if the zygote dies
        app.initialize(sys.argv[1:])
        app.start()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    except BaseException:  # noqa: BLE001 - the kernel's own log says why
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


class _Zygote:
    """One warm process per process that asks (each pool worker gets its own)."""

    _lock = threading.Lock()
    _instance: tuple[int, _Zygote] | None = None

    def __init__(self) -> None:
        parent, child = socket.socketpair()
        script = (f"import socket, sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); "
                  "import warm_kernels; "
                  "warm_kernels._zygote(socket.socket(fileno=int(sys.argv[1])))")
        env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
        self.process = subprocess.Popen([sys.executable, "-c", script, str(child.fileno())],
                                        pass_fds=[child.fileno()], env=env)
        child.close()
        self.stream = parent.makefile("rw")
        self.sock = parent
        if self.stream.readline().strip() != "ready":
            raise RuntimeError("the warm kernel process did not start")

    @classmethod
    def get(cls) -> _Zygote:
        with cls._lock:
            if cls._instance is None or cls._instance[0] != os.getpid() or \
                    cls._instance[1].process.poll() is not None:
                cls._instance = (os.getpid(), cls())
            return cls._instance[1]

    def fork(self, argv: list[str], env: dict, cwd: str) -> int:
        with self._lock:
            self.stream.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n")
            self.stream.flush()
            return int(self.stream.readline())


class ForkedKernel:
    """The part of `subprocess.Popen` jupyter_client uses, for a kernel the zygote forked."""

    stdin = stdout = stderr = None  # the kernel writes to the zygote's own streams

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not _alive(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class WarmKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, launching `ipykernel_launcher` kernels by fork."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if list(kernel_cmd[1:3]) != list(LAUNCHER) or not sys.platform.startswith("linux"):
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        env = {k: str(v) for k, v in (kw.get("env") or os.environ).items()}
        cwd = str(kw.get("cwd") or os.getcwd())
        pid = _Zygote.get().fork(list(kernel_cmd), env, cwd)
        provisioner = self.provisioner
        provisioner.process = ForkedKernel(pid)
        provisioner.pid = pid
        provisioner.pgid = pid  # the kernel leads a session of its own
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
