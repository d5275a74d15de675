"""Run one untrusted program (a submission's autograde) in a child process with limits.

`run(spec)` starts this file as a script (`python sandbox.py SPEC.json`): the *supervisor*.
It is a fresh, single-threaded interpreter that imports only the standard library, so it is
safe to start from any worker (threads, processes, Dask). The supervisor

1. enters new Linux namespaces where the system allows it: mount, network and PID (and a user
   namespace when it is not root);
2. forks the *sandboxed child*, PID 1 of the new PID namespace, which mounts a fresh /proc,
   hides folders behind empty tmpfs (the course with its solutions and gradebook, the temporary
   folder holding every other submission, the home folder), puts back read-only what the
   notebook needs (the Python environment, the helper package, the click log), makes the whole
   file system read-only except the job's own folder, brings up a loopback interface of its
   own (the kernel talks to its client over loopback TCP; nothing else is reachable), drops its
   privileges, sets the resource limits and runs the program;
3. kills the whole PID namespace (so every process the program started, kernels included) when
   the wall clock runs out, and reports: exit status, timeout, seconds, and which isolation
   layers were in force.

`run(spec, warm=True)` does the same through a warm server per worker thread (`serve`): it
preloads the program's script once and forks a supervisor per run, so a run skips the
interpreter's start and the script's imports.

Where namespaces are not available (not Linux, or user namespaces disabled), the child still
gets the resource limits, its own session (killed as a process group with all descendants on
timeout) and the private job folder, and the outcome says which layers were missing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import resource
import signal
import struct
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import asdict, dataclass, field

NOBODY = 65534
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = -100, 0x8000, 1
SYS_MOUNT_SETATTR = 442  # the same number on every architecture (new system call table)
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4
EXIT_SETUP_FAILED = 70  # the child could not be set up: a grading failure, not the student's


@dataclass(frozen=True)
class Limits:
    """Per-submission limits. Memory and CPU apply to each process (kernel and client)."""

    wall_clock: float = 600.0  # seconds for the whole notebook, kernel start included
    memory_mb: int | None = 8192  # address space (RLIMIT_AS); a Python kernel maps ~3 GiB idle
    cpu_seconds: int | None = 900  # CPU time (RLIMIT_CPU)
    file_mb: int | None = 1024  # largest file the program may write (RLIMIT_FSIZE)
    network: bool = False  # False: a network namespace with loopback only, where possible


@dataclass
class Spec:
    """What the supervisor needs; written as JSON next to the job, read by the script."""

    argv: list[str]
    cwd: str
    env: dict[str, str]
    limits: dict
    log: str  # the program's stdout and stderr go here
    writable: list[str]  # the job's own folder(s)
    hide: list[str] = field(default_factory=list)  # replaced by empty tmpfs (files: emptied)
    expose: list[str] = field(default_factory=list)  # put back read-only under the hidden ones
    drop_to_nobody: bool = False  # when run as root: run the program as user `nobody`
    # [script, function, args...]: call a function of a script instead of exec'ing `argv`;
    # with a warm server (see `run`), the script's imports are already done
    call: list[str] = field(default_factory=list)


SETUP_FAILED = "sandbox setup failed"


@dataclass
class Outcome:
    returncode: int | None  # negative: killed by that signal
    timed_out: bool
    seconds: float
    isolation: list[str]  # layers in force: pid, files, network, locked, nobody, limits
    notes: list[str]

    @property
    def setup_failed(self) -> bool:
        """The sandbox could not be built: the grader's failure, not the program's."""
        return any(n.startswith(SETUP_FAILED) for n in self.notes)


def run(spec: Spec, *, grace: float = 30.0, warm: bool = False) -> Outcome:
    """Run the spec sandboxed and wait for it; never raises for what the program does.

    `warm`: run it through this thread's warm server (started once, with the script of
    `spec.call` preloaded), so each run skips the interpreter's start and the script's imports;
    falls back to a fresh supervisor if the server cannot be used.
    """
    path = os.path.join(spec.cwd, ".sandbox.json")
    with open(path, "w") as f:
        json.dump(asdict(spec), f)
    wall = Limits(**spec.limits).wall_clock
    if warm and spec.call:
        outcome = _run_warm(spec.call[0], path, wall + grace)
        if outcome is not None:
            return outcome
    # -I: no user site, no PYTHON* variables, no current folder on sys.path: only stdlib here.
    proc = subprocess.Popen([sys.executable, "-I", os.path.abspath(__file__), path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=spec.cwd)
    try:
        out, err = proc.communicate(timeout=wall + grace)
    except subprocess.TimeoutExpired:  # the supervisor itself is stuck: take everything down
        _kill_tree(proc.pid)
        out, err = proc.communicate()
        return Outcome(None, True, wall + grace, [], ["supervisor did not stop in time"])
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            return Outcome(**json.loads(line))
    return Outcome(None, False, 0.0, [], [f"supervisor failed ({proc.returncode}): {err[-2000:]}"])


_servers = threading.local()  # one warm server per thread: each serves one run at a time


@dataclass
class _Held:
    proc: subprocess.Popen
    script: str


def _run_warm(script: str, path: str, timeout: float) -> Outcome | None:
    """One run through this thread's server; None if the server is not usable."""
    import select

    held = getattr(_servers, "held", None)
    server = held.proc if held else None
    if server is None or server.poll() is not None or held.script != script:
        if server is not None:
            _stop(server)
        try:
            server = subprocess.Popen(
                [sys.executable, "-I", os.path.abspath(__file__), "--serve", script],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, bufsize=1, start_new_session=True, cwd="/")
        except OSError:
            return None
        held = _servers.held = _Held(server, script)
        weakref.finalize(held, _stop, server)  # the thread ends: so does its server
    try:
        server.stdin.write(path + "\n")
        server.stdin.flush()
        ready, _, _ = select.select([server.stdout], [], [], timeout)
        line = server.stdout.readline() if ready else ""
    except OSError:
        line = ""
    try:
        fd = os.open(path + ".outcome", os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd) as f:
            outcome = Outcome(**json.load(f))
    except (OSError, ValueError, TypeError):
        outcome = None
    if line.strip() != "done" or outcome is None:
        _stop(server)
        _servers.held = None
    return outcome


def _stop(server) -> None:
    if server.poll() is None:
        _kill_tree(server.pid)
        server.wait()
    for stream in (server.stdin, server.stdout):
        try:
            stream.close()
        except OSError:
            pass


def serve(script: str) -> None:
    """The warm server: preload the script once, then fork one supervisor per spec path read
    from stdin (one at a time); each writes `<spec>.outcome`, then the server answers `done`."""
    _load(script).preload()
    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                with open(path) as f:
                    outcome = supervise(json.load(f))
                out = path + ".outcome"
                if os.path.lexists(out):  # never through a link the program planted
                    os.unlink(out)
                fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
                with os.fdopen(fd, "w") as f:
                    json.dump(outcome, f)
                code = 0
            finally:
                os._exit(code)
        os.waitpid(pid, 0)
        print("done", flush=True)


def _load(script: str):
    """A script imported by path, once per process."""
    import importlib.util

    name = "_sandboxed_" + os.path.splitext(os.path.basename(script))[0]
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, script)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


# --- the supervisor (runs as a script: standard library only) -------------------------------

_libc = None


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _unshare(flags: int) -> None:
    _check(_c().unshare(ctypes.c_int(flags)), "unshare")


def _mount(source, target, fstype, flags, data=None) -> None:
    def enc(s):
        return s.encode() if isinstance(s, str) else s

    _check(_c().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {target}")


def _set_readonly(path: str, readonly: bool, recursive: bool) -> None:
    """mount_setattr(2): flip the read-only flag of a mount (and every mount below it)."""
    attr = struct.pack("QQQQ", MOUNT_ATTR_RDONLY if readonly else 0,
                       0 if readonly else MOUNT_ATTR_RDONLY, 0, 0)
    buf = ctypes.create_string_buffer(attr, len(attr))
    libc = _c()
    libc.syscall.restype = ctypes.c_long
    flags = AT_RECURSIVE if recursive else 0
    result = libc.syscall(ctypes.c_long(SYS_MOUNT_SETATTR), ctypes.c_int(AT_FDCWD),
                          ctypes.c_char_p(path.encode()), ctypes.c_uint(flags), buf,
                          ctypes.c_size_t(len(attr)))
    if result != 0:
        err = ctypes.get_errno()
        if err != 38:  # ENOSYS: kernels before 5.12; remount mount by mount instead
            raise OSError(err, f"mount_setattr {path}: {os.strerror(err)}")
        _remount_each(path, readonly, recursive)


def _remount_each(path: str, readonly: bool, recursive: bool) -> None:
    keep = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC}
    with open("/proc/self/mountinfo") as f:
        entries = [line.split() for line in f]
    for fields in entries:
        point, options = fields[4].replace("\\040", " "), fields[5].split(",")
        inside = point == path or (recursive and point.startswith(path.rstrip("/") + "/"))
        if inside:
            flags = MS_BIND | MS_REMOUNT | (MS_RDONLY if readonly else 0)
            flags |= sum(v for k, v in keep.items() if k in options)
            try:
                _mount(None, point, None, flags)
            except OSError:
                pass  # a mount we may not touch (for example under /proc): left as it is


def _loopback_up() -> None:
    import fcntl
    import socket

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sh22x", b"lo", 0)
        flags = struct.unpack("16sh22x", fcntl.ioctl(s, siocgifflags, req))[1]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sh22x", b"lo", flags | iff_up))


def _map_self(uid: int, gid: int) -> None:
    """In a fresh user namespace: be root there, mapped to our own user outside."""
    for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)


def _setup_files(spec: dict, notes: list[str]) -> None:
    """Hide, expose read-only, make everything else read-only, keep the job folder writable."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we do leaks back to the host
    keep = {}
    for path in sorted(set(spec["expose"]) | set(spec["writable"]), key=len):
        if os.path.exists(path):
            keep[path] = os.open(path, os.O_PATH)
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except OSError as err:  # e.g. a container that masks parts of /proc
        notes.append(f"own /proc not mounted ({err.strerror})")
    for path in sorted(set(spec["hide"]), key=len):
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=755")
        elif os.path.isfile(path):  # a zip of submissions, say: it now reads as empty
            _mount("/dev/null", path, None, MS_BIND)
    for path, fd in keep.items():  # shortest first, so nested ones land on their parents
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            os.makedirs(path, exist_ok=True)
        elif not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "a").close()
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        os.close(fd)
    _set_readonly("/", True, recursive=True)
    for path in spec["writable"]:
        _set_readonly(path, False, recursive=False)
    if os.path.isdir("/dev/shm"):  # scratch space that belongs to this run only
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=1777")


def _lock(spec: dict, root: bool, notes: list[str], layers: list[str]) -> None:
    """Give up the privileges used to build the sandbox, so the program cannot undo it."""
    if root and spec["drop_to_nobody"]:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)  # no capabilities left: mounts cannot be undone, root files not written
        _c().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # a change of user clears it: set it again
        layers.append("nobody")
        return
    try:
        # A user namespace of its own, left without an id map: every mount made above is now
        # locked together (no umount, no remount read-write), and the program holds no
        # capability over any file or over the network namespace.
        _unshare(CLONE_NEWUSER | CLONE_NEWNS)
        layers.append("locked")
    except OSError as err:
        notes.append(f"mounts not locked ({err.strerror})")


def _set_limits(limits: dict, dropped: bool) -> None:
    def cap(kind, value, hard_extra=0):
        if value is not None:
            resource.setrlimit(kind, (int(value), int(value) + hard_extra))

    cap(resource.RLIMIT_AS, limits["memory_mb"] and limits["memory_mb"] * 2**20)
    cap(resource.RLIMIT_CPU, limits["cpu_seconds"], hard_extra=5)  # SIGXCPU, then SIGKILL
    cap(resource.RLIMIT_FSIZE, limits["file_mb"] and limits["file_mb"] * 2**20)
    cap(resource.RLIMIT_CORE, 0)
    if dropped:  # a fork bomb stops here (the limit counts every process of user nobody)
        cap(resource.RLIMIT_NPROC, 4096)


def _child(spec: dict, namespaces: bool, root: bool, layers: list[str], notes: list[str],
           report_fd: int) -> None:
    """The sandboxed child: never returns (runs the program or exits)."""
    try:
        os.setsid()
        if namespaces:
            _c().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the supervisor dies: so do we
            _setup_files(spec, notes)
            layers.append("files")
            if not spec["limits"]["network"]:
                _loopback_up()
                layers.append("network")
            _lock(spec, root, notes, layers)
        elif root and spec["drop_to_nobody"]:
            _lock(spec, root, notes, layers)
        _set_limits(spec["limits"], "nobody" in layers)
        layers.append("limits")
        os.write(report_fd, json.dumps({"layers": layers, "notes": notes}).encode())
        os.close(report_fd)
        log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.chdir(spec["cwd"])
        if spec.get("call"):
            _call(spec)
        os.execve(spec["argv"][0], spec["argv"], spec["env"])
    except BaseException as err:  # noqa: BLE001 - report any setup failure, then leave
        try:
            os.write(report_fd, json.dumps({"error": f"{type(err).__name__}: {err}"}).encode())
        finally:
            os._exit(EXIT_SETUP_FAILED)


def _call(spec: dict) -> None:
    """Run `script.function(*args)` in this process, as if it had been exec'd; never returns."""
    import tempfile

    os.environ.clear()
    os.environ.update(spec["env"])
    tempfile.tempdir = None  # chosen again from TMPDIR
    _c().prctl(PR_SET_DUMPABLE, 0)  # the program's children may not trace or read this one
    code = 1
    try:
        script, function, *args = spec["call"]
        code = getattr(_load(script), function)(*args) or 0
    except BaseException:  # noqa: BLE001 - the log says what broke
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _kill_tree(pid: int) -> None:
    """SIGKILL a process, its process group and every descendant still running."""
    doomed = {pid} | _descendants(pid)
    for p in doomed:
        try:
            os.killpg(p, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return set()
    for entry in entries:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _enter_namespaces(root: bool, network: bool, notes: list[str]) -> bool:
    if not sys.platform.startswith("linux"):
        notes.append("no namespaces on this system")
        return False
    flags = CLONE_NEWNS | CLONE_NEWPID | (0 if network else CLONE_NEWNET)
    try:
        if root:
            _unshare(flags)
        else:
            uid, gid = os.geteuid(), os.getegid()
            _unshare(CLONE_NEWUSER)
            _map_self(uid, gid)
            _unshare(flags)
        return True
    except OSError as err:
        notes.append(f"namespaces unavailable ({err.strerror}): limits only")
        return False


def supervise(spec: dict) -> dict:
    started = time.monotonic()
    limits = spec["limits"]
    root = os.geteuid() == 0
    notes: list[str] = []
    namespaces = _enter_namespaces(root, limits["network"], notes)
    layers = ["pid"] if namespaces else []
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(spec, namespaces, root, layers, notes, write_end)
    os.close(write_end)
    with os.fdopen(read_end) as report:
        told = json.loads(report.read() or "{}")  # returns once the child runs it or failed
    deadline = started + limits["wall_clock"]
    status, timed_out = None, False
    while status is None:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = raw
        elif time.monotonic() >= deadline:
            timed_out = True
            _kill_tree(pid)  # PID 1 of the namespace: the kernel kills the rest with it
            status = os.waitpid(pid, 0)[1]
        else:
            time.sleep(0.05)
    if not namespaces:
        _kill_tree(pid)  # whatever it left behind in its session
    code = os.waitstatus_to_exitcode(status)
    if "error" in told:
        notes.append(f"{SETUP_FAILED}: {told['error']}")
    return {"returncode": code, "timed_out": timed_out,
            "seconds": round(time.monotonic() - started, 2),
            "isolation": told.get("layers", layers), "notes": told.get("notes", []) + notes}


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(sys.argv[2])
    else:
        with open(sys.argv[1]) as f:
            outcome = supervise(json.load(f))
        print(json.dumps(outcome), flush=True)
