"""Re-run a graded notebook's tests in a process where none of the notebook's code runs.

nbgrader runs the tests in the learner's own kernel, so the notebook's code can change what a
test cell does: replace the check helper, rewrite each cell as it runs, patch NumPy, return an
object that equals anything. After nbgrader has scored a submission, the sandbox runs the step
once more, in two processes:

* the *checker* runs only the course's cells: the release's given code and the gradebook's
  test cells, hidden tests included;
* the *answers* process, forked from the checker before either has run a cell, runs the
  submitted cells (tests left out) and answers calls to the functions the exercises name.

In the checker, an exercise's name is bound to a proxy: a call pickles its arguments across a
pipe, the answers process calls the learner's function, and the value comes back rebuilt from
data only (`SafeUnpickler`: containers, NumPy, pandas, SciPy sparse, scikit-learn and xgboost
classes; a returned function becomes another remote call; anything else is refused). A test
cell counts only if it passes in the checker, and nbgrader's score is kept only where it did.

What this cannot see: anything the learner's functions return is their answer, computed however
they like; a function can still read the data it is given. It proves that the course's checks,
run by the course's code, accept the values the learner's functions return.

Loaded by path inside the sandbox: `python -I recheck.py PLAN.json` prints a JSON result. Only
the standard library is imported at module level; `plan()` is also used by the pipeline.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import select
import signal
import struct
import sys
import time

HEADER = struct.Struct("!Q")
MAX_REPLY = 512 * 2**20  # a reply larger than this is refused (the checker must not run out)
SKIPPED = "raise TimeoutError('this cell ran over the per-cell limit when the notebook was graded')"
GRACE = 5.0  # seconds an interrupted cell gets to stop before its process is ended
SAFE_BUILTINS = {"list", "dict", "set", "frozenset", "tuple", "int", "float", "complex", "str",
                 "bytes", "bytearray", "bool", "slice", "range", "object", "xrange"}
SAFE_PACKAGES = ("numpy", "pandas", "scipy.sparse", "sklearn", "xgboost", "datetime",
                 "collections", "decimal", "fractions", "zoneinfo")
REFUSED = ("pandas.io", "numpy.testing", "numpy.f2py", "numpy.lib.npyio", "numpy.ctypeslib")
SAFE_FUNCTIONS = {  # the reconstructors these libraries' pickles name, nothing that runs code
    ("_codecs", "encode"), ("copyreg", "_reconstructor"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
    ("pandas", "NA"), ("pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked"),
    ("pandas._libs.internals", "_unpickle_block"),
    ("pandas._libs.tslibs.nattype", "_nat_unpickle"),
    ("pandas._libs.tslibs.timedeltas", "_timedelta_unpickle"),
    ("pandas._libs.tslibs.timestamps", "_unpickle_timestamp"),
    ("pandas.core.indexes.base", "_new_Index"),
    ("pandas.core.indexes.datetimes", "_new_DatetimeIndex"),
    ("pandas.core.indexes.period", "_new_PeriodIndex"),
    ("pandas.core.indexes.timedeltas", "_new_TimedeltaIndex"),
    ("pandas.core.indexes.interval", "_new_IntervalIndex"),
    ("pyarrow.lib", "_restore_array"), ("pyarrow.lib", "py_buffer"),
    ("pyarrow.lib", "type_for_alias"),
}


# ---------------------------------------------------------------- the plan (built by the pipeline)

def plan(source_notebook: dict, cells: dict) -> list[dict]:
    """The step as the checker runs it, in the source notebook's order: given code (never a
    solution: only cells without nbgrader metadata or locked ones), each answer cell's
    function names and imports (from the gradebook's stub), each test cell in full."""
    steps = []
    for cell in source_notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        name = meta.get("grade_id")
        spec = cells.get(name) if name else None
        if spec is None or not (spec.grade or spec.solution):
            source = spec.source if spec else _text(cell.get("source", ""))
            steps.append({"kind": "given", "key": name or cell.get("id"), "source": source})
        elif spec.solution:
            names, imports = _stub_names(spec.source)
            steps.append({"kind": "answer", "key": name, "source": imports, "names": names})
        else:
            steps.append({"kind": "test", "key": name, "source": spec.source,
                          "points": spec.points or 0.0})
    return steps


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def _stub_names(stub: str) -> tuple[list[str], str]:
    """The functions an answer cell's stub defines, and its import lines."""
    try:
        tree = ast.parse(stub)
    except SyntaxError:
        return [], ""
    names = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    imports = [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return names, "\n".join(imports)


# ---------------------------------------------------------------- talking over a pipe

class Gone(Exception):
    """The answers process stopped answering (it ended, hung or ran over its time)."""


def _send(fd: int, payload: bytes, deadline: float | None = None) -> None:
    data = memoryview(HEADER.pack(len(payload)) + payload)
    while data:
        try:
            data = data[os.write(fd, data[: 1 << 20]):]
            continue
        except BlockingIOError:  # the pipe is full: wait until the other end reads
            pass
        except OSError as err:
            raise Gone(f"its pipe closed ({err.__class__.__name__})") from None
        left = None if deadline is None else deadline - time.monotonic()
        if (left is not None and left <= 0) or not select.select([], [fd], [], left)[1]:
            raise Gone("it did not take the request in time")


def _recv(fd: int, deadline: float | None = None, limit: int = MAX_REPLY) -> bytes:
    """One message: its length, then that many bytes. A call's round trip is most of the
    re-check's time when a test calls a function thousands of times, so a small message
    takes one wait and one read."""
    parts, got, size = [], 0, None
    while size is None or got < HEADER.size + size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise Gone("it ran over its time")
        want = 1 << 16 if size is None else min(HEADER.size + size - got, 1 << 24)
        chunk = os.read(fd, want)
        if not chunk:
            raise Gone("it ended")
        parts.append(chunk)
        got += len(chunk)
        if size is None and got >= HEADER.size:
            head = b"".join(parts)
            parts = [head]
            (size,) = HEADER.unpack(head[:HEADER.size])
            if size > limit:
                raise Gone(f"its reply is too large ({size:,} bytes)")
    data = b"".join(parts)
    return data[HEADER.size:]


class SafeUnpickler(pickle.Unpickler):
    """Rebuilds a value from data: only the classes and reconstructors of the libraries above,
    never a function or a class the notebook defined. A persistent id is a remote function."""

    def __init__(self, file, answers: Answers):
        super().__init__(file)
        self.answers = answers

    def find_class(self, module: str, name: str):
        if (module, name) in SAFE_FUNCTIONS:
            return super().find_class(module, name)
        if module in ("builtins", "__builtin__") and name in SAFE_BUILTINS:
            return super().find_class(module, name)
        inside = any(module == p or module.startswith(p + ".") for p in SAFE_PACKAGES)
        refused = any(module == p or module.startswith(p + ".") for p in REFUSED)
        if inside and not refused and "." not in name and not name.startswith("_"):
            found = super().find_class(module, name)
            if isinstance(found, type) and not issubclass(found, BaseException) \
                    and "memmap" not in name.lower():
                return found
        raise pickle.UnpicklingError(f"a {module}.{name}")

    def persistent_load(self, pid):
        if not isinstance(pid, int):
            raise pickle.UnpicklingError("an unknown reference")
        return RemoteFunction(self.answers, pid)


class RemoteFunction:
    """A learner's function, called in the answers process."""

    def __init__(self, answers: Answers, target):
        self._answers, self._target = answers, target
        self.__name__ = target if isinstance(target, str) else "function"

    def __call__(self, *args, **kwargs):
        return self._answers.call(self._target, args, kwargs)

    def __repr__(self) -> str:
        return f"<the notebook's function {self.__name__}>"


SCALARS = (int, float, complex, str, bytes, bool, type(None), tuple, range)


class Requests(pickle.Pickler):
    """A call's arguments: given globals by name, the notebook's functions by handle."""

    def __init__(self, file, shared: dict[int, str]):
        super().__init__(file, protocol=5)
        self.shared = shared

    def persistent_id(self, obj):
        if isinstance(obj, RemoteFunction):
            return ("function", obj._target)
        name = self.shared.get(id(obj))
        return ("name", name) if name is not None else None


CONTAINERS = (dict, list, set)


def _shape(value, budget: list) -> object:
    """What an in-place change to containers alters: their keys and the identity of what
    they hold (a function that sets registry["aliases"]["production"] changes it). Taken
    before and after every call, so the common case (a store of thousands of entries, none
    of them a container) stays in C."""
    budget[0] -= 1
    if budget[0] < 0:
        return None
    if isinstance(value, dict):
        kind, keys, items = "d", tuple(value), list(value.values())
    elif isinstance(value, list):
        kind, keys, items = "l", (), list(value)
    elif isinstance(value, set):
        return ("s", frozenset(map(id, value)))
    else:
        return id(value)
    budget[0] -= len(items)
    nested = ()
    if any(issubclass(t, CONTAINERS) for t in set(map(type, items))):
        nested = tuple((i, _shape(v, budget)) for i, v in enumerate(items)
                       if isinstance(v, CONTAINERS))
    return kind, keys, tuple(map(id, items)), nested


def _array_types() -> tuple[type, ...]:
    """NumPy arrays and pandas tables, where the process has imported them."""
    np, pd = sys.modules.get("numpy"), sys.modules.get("pandas")
    return ((np.ndarray,) if np else ()) + ((pd.DataFrame, pd.Series) if pd else ())


def _sync(old, new) -> None:
    """Make the checker's argument what the learner's function left it (in place)."""
    arrays = _array_types()
    if arrays and isinstance(old, arrays) and type(old) is type(new):
        if hasattr(old, "_update_inplace"):  # pandas' own way to make an in-place change
            old._update_inplace(new)
        elif old.shape == new.shape and old.flags.writeable:
            old[...] = new
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            if key in old and type(old[key]) is type(value) and isinstance(value, (dict, list)):
                _sync(old[key], value)
            else:
                old[key] = value
    elif isinstance(old, list) and isinstance(new, list):
        old[:] = new
    elif isinstance(old, set) and isinstance(new, set):
        old.clear()
        old.update(new)


class NotCheckable(TypeError):
    """A learner's function returned a value the checker cannot rebuild from data."""


# ---------------------------------------------------------------- the answers process

class Answers:
    """The submitted cells, run in a child process that answers calls to their functions."""

    def __init__(self, cells: list[tuple[str, str]], cell_timeout: float, cwd: str,
                 deadline: float = float("inf")):
        # (key, source) of every submitted code cell that is not a test; None: stop there
        self.cells = cells
        self.cell_timeout = cell_timeout
        self.deadline = deadline  # no request waits past it
        self.next = 0
        self.gone: str | None = None
        # the values given cells bound, which travel by name: id -> name, name -> value
        self.shared: dict[int, str] = {}
        self.given: dict[str, object] = {}
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child never returns from here
            os.close(down_w)
            os.close(up_r)
            code = 0
            try:
                _serve(down_r, up_w, cells, cwd)
            except BaseException:  # noqa: BLE001 - the checker sees the pipe close
                code = 1
            os._exit(code)
        os.close(down_r)
        os.close(up_w)
        self.down, self.up = down_w, up_r
        os.set_blocking(self.down, False)

    def run_to(self, index: int) -> None:
        """Run the submitted cells up to and including `index`, one request per cell."""
        while self.next <= index and self.next < len(self.cells) and not self.gone:
            if self.cells[self.next][1] is None:  # where the notebook stopped when graded
                self.stop("the notebook stopped at this cell when graded")
                return
            try:
                self._ask(("run", self.next), self.cell_timeout, interrupt=True)
            except Gone:
                return  # its functions now fail when called; the checks say so
            self.next += 1

    def proxy(self, name: str):
        """A function of the checker's own that calls `name` over there; `inspect.getsource`
        finds the learner's source in it (a check may run that source somewhere else)."""
        import linecache

        remote = RemoteFunction(self, name)
        filename = f"<the notebook's {name}>"
        try:
            reply = b"" if self.gone else self._ask(("source", name), self.cell_timeout, True)
        except Gone:
            reply = b""
        if reply[:1] == b"s" and not name.startswith("_") and name.isidentifier():
            try:
                source = json.loads(reply[1:].decode("utf-8", "replace"))
            except ValueError:
                source = None
            if isinstance(source, str) and source:
                linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
                namespace = {"_remote": remote}
                exec(compile(f"def {name}(*args, **kwargs):\n    return _remote(*args, **kwargs)\n",
                             filename, "exec"), namespace)
                return namespace[name]
        return remote

    def remember(self, namespace: dict, before: dict[str, int]) -> None:
        """Note the values a given cell bound in the checker's namespace (`before`: the id of
        each name's value before the cell ran): the answers process built the same ones from
        the same cells, so they travel by name, not by value. A name a test cell bound is not
        one of them: the answers process never runs test cells."""
        for name in [n for n in self.given if before.get(n) is not None and n not in namespace]:
            self._forget(name)  # the cell deleted it
        for name, value in namespace.items():
            if before.get(name) == id(value) or name.startswith("_"):
                continue
            self._forget(name)  # the cell bound it again
            if not isinstance(value, SCALARS) and not isinstance(value, RemoteFunction) \
                    and not callable(value) and type(value).__name__ != "module":
                self.shared[id(value)] = name
                self.given[name] = value  # kept alive, so its id stays its own

    def _forget(self, name: str) -> None:
        value = self.given.pop(name, None)
        if value is not None and self.shared.get(id(value)) == name:
            del self.shared[id(value)]

    def call(self, target, args, kwargs):
        if self.gone:
            raise Gone(f"the notebook's code no longer answers: {self.gone}")
        import io

        buffer = io.BytesIO()
        try:
            Requests(buffer, self.shared).dump(("call", target, args, kwargs))
        except Exception as err:  # noqa: BLE001 - a checker-side value that cannot travel
            raise TypeError(f"the grader could not pass the arguments on: {err}") from None
        reply = self._ask(buffer.getvalue(), self.cell_timeout, interrupt=True)
        kind = reply[:1]
        if kind == b"v":
            try:
                value, changed = SafeUnpickler(io.BytesIO(reply[1:]), self).load()
                for where, state in dict(changed).items():
                    _sync(args[where] if isinstance(where, int) else kwargs[where], state)
                return value
            except Exception as err:  # noqa: BLE001 - whatever came back is not data
                raise NotCheckable(f"the function returned {err}, which the grader does not "
                                   "accept as an answer") from None
        if kind == b"e":
            ename, message = json.loads(reply[1:].decode("utf-8", "replace"))
            raise _exception(str(ename), str(message))
        raise Gone("it sent a reply the grader does not understand")

    def _ask(self, request, timeout: float, interrupt: bool) -> bytes:
        payload = request if isinstance(request, bytes) else pickle.dumps(request, protocol=5)
        deadline = min(time.monotonic() + timeout, self.deadline)
        try:
            _send(self.down, payload, deadline)
            return _recv(self.up, deadline)
        except Gone as err:
            if interrupt and "time" in str(err) and self._interrupt():
                return b"e" + json.dumps(["KeyboardInterrupt", "interrupted"]).encode()
            self.stop(str(err))
            raise

    def _interrupt(self) -> bool:
        """Interrupt a cell over its time, as nbgrader does; wait for it to give up the call."""
        try:
            os.kill(self.pid, signal.SIGINT)
            _recv(self.up, time.monotonic() + GRACE)
            return True
        except (Gone, OSError):
            return False

    def stop(self, why: str = "stopped") -> None:
        if self.gone is None:
            self.gone = why
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass


def _exception(ename: str, message: str) -> Exception:
    """The learner's exception, as the same built-in type where it is one (checks may expect
    a ValueError), else a RuntimeError naming it."""
    import builtins

    kind = getattr(builtins, ename, None) if ename.isidentifier() else None
    if isinstance(kind, type) and issubclass(kind, Exception) and kind.__module__ == "builtins":
        try:
            return kind(message)
        except Exception:  # noqa: BLE001 - an exception type with another signature
            pass
    if ename == "KeyboardInterrupt":
        return TimeoutError("the function ran over the per-cell time limit and was interrupted")
    return RuntimeError(f"{ename}: {message}")


def _serve(down: int, up: int, cells: list[tuple[str, str]], cwd: str) -> None:
    """The answers process: runs the submitted cells in an IPython shell of its own and calls
    their functions. Nothing it does reaches the checker but the bytes of its replies."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    for fd in range(3, 4096):  # the checker's result pipe among them
        if fd not in (down, up):
            try:
                os.close(fd)
            except OSError:
                pass
    os.chdir(cwd)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    handles: dict[int, object] = {}

    class Replies(pickle.Pickler):
        def persistent_id(self, obj):
            import functools
            import types

            if isinstance(obj, (types.FunctionType, types.MethodType, functools.partial)) and \
                    (getattr(obj, "__module__", None), getattr(obj, "__name__", None)) \
                    not in SAFE_FUNCTIONS:  # a library's reconstructor travels by name
                handles[id(obj)] = obj
                return id(obj)
            return None

    import io

    named: set[int] = set()  # the arguments of this call that came by name

    class Arguments(pickle.Unpickler):
        def persistent_load(self, pid):
            kind, target = pid
            if kind == "name":
                value = shell.user_ns[target]
                named.add(id(value))
                return value
            found = handles.get(target) if isinstance(target, int) else shell.user_ns.get(target)
            if found is None:
                raise NameError(f"name {target!r} is not defined")
            return found

    while True:
        try:
            named.clear()
            request = Arguments(io.BytesIO(_recv(down, None, limit=1 << 40))).load()
        except Gone:
            return
        except BaseException as err:  # noqa: BLE001 - a given name the notebook deleted
            _send(up, b"e" + json.dumps([type(err).__name__, str(err)[:2000]]).encode())
            continue
        try:
            if request[0] == "source":
                import inspect

                try:
                    source = inspect.getsource(shell.user_ns[request[1]])
                except Exception:  # noqa: BLE001 - not defined, or not a function with source
                    source = None
                reply = b"s" + json.dumps(source).encode()
            elif request[0] == "run":
                shell.run_cell(cells[request[1]][1], store_history=False)
                _close_figures()
                reply = b"r"
            else:
                _, target, args, kwargs = request
                function = handles.get(target) if isinstance(target, int) else \
                    shell.user_ns.get(target)
                if function is None:
                    raise NameError(f"name {target!r} is not defined")
                given = {**dict(enumerate(args)), **kwargs}
                mutable = {k: v for k, v in given.items() if isinstance(v, CONTAINERS)}
                before = {k: _shape(v, [100_000]) for k, v in mutable.items()}
                # an array or a table that came by value: its bytes (it crossed as them anyway)
                arrays = {k: v for k, v in given.items()
                          if isinstance(v, _array_types()) and id(v) not in named}
                before_bytes = {k: pickle.dumps(v, protocol=5) for k, v in arrays.items()}
                value = function(*args, **kwargs)
                changed = {k: v for k, v in mutable.items() if _shape(v, [100_000]) != before[k]}
                changed.update({k: v for k, v in arrays.items()
                                if pickle.dumps(v, protocol=5) != before_bytes[k]})
                buffer = io.BytesIO()
                Replies(buffer, protocol=5).dump((value, changed))
                reply = b"v" + buffer.getvalue()
        except BaseException as err:  # noqa: BLE001 - reported to the checker by name
            reply = b"e" + json.dumps([type(err).__name__, str(err)[:2000]]).encode()
        _send(up, reply)


def _close_figures() -> None:
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


# ---------------------------------------------------------------- the checker

def _harden() -> None:
    """Same user as the answers process, so keep it from tracing this one or reading its
    memory (Linux: a process that is not dumpable cannot be attached to by its peers)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
    except (OSError, AttributeError):
        pass


def _import_given(steps: list[dict]) -> None:
    """Import the modules the course's given cells import, before the answers process is
    forked: the two processes then share one import of pandas, scikit-learn and the rest
    instead of doing it twice (seconds per notebook). Importing a module runs the library's
    code only; the cells still run their import lines, where any error shows as it would."""
    import importlib

    for step in steps:
        if step["kind"] != "given":
            continue
        try:
            tree = ast.parse(step["source"])
        except SyntaxError:
            continue
        for node in tree.body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and \
                not node.level else []
            for name in names:
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - the cell meets it again and says so
                    pass


def check(job: dict) -> dict:
    """Run the plan; which test cells passed in the checker, and why it stopped early if so."""
    # an interrupted request gets GRACE more seconds; the result needs a moment to be written
    steps, deadline = job["plan"], time.monotonic() + float(job["seconds"]) - GRACE - 2
    cell_timeout = float(job["cell_timeout"])
    submitted = job["submitted"]
    # a cell the per-cell limit stopped in grading is not run again: it would spend that
    # limit twice, and its code did not finish in the notebook either
    interrupted = set(job.get("interrupted", ()))
    ended = job.get("ended")  # the cell where the notebook stopped, if it did
    tests = {s["key"] for s in steps if s["kind"] == "test"}
    cells, where = [], {}
    for cell in submitted.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        key = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id")
        if key in tests:
            where[key] = len(cells) - 1
            continue
        where.setdefault(key, len(cells))
        source = None if cell.get("id") == ended else \
            SKIPPED if cell.get("id") in interrupted else _text(cell.get("source", ""))
        cells.append((key, source))

    os.environ["MPLBACKEND"] = "agg"
    from IPython.core.interactiveshell import InteractiveShell

    _import_given(steps)  # once, here, for both processes
    answers = Answers(cells, cell_timeout, job["cwd"], deadline)

    shell = InteractiveShell.instance()
    passed, stopped, outcomes = {}, "", {}
    try:
        for s in steps:
            if time.monotonic() > deadline:
                stopped = "the re-check ran over the time left for this notebook"
                break
            if s["key"] in where:
                answers.run_to(where[s["key"]])
            if s["kind"] == "answer":
                if s["source"]:
                    shell.run_cell(s["source"], store_history=False)
                for name in s["names"]:
                    shell.user_ns[name] = answers.proxy(name)
                continue
            before = {k: id(v) for k, v in shell.user_ns.items()} if s["kind"] == "given" else {}
            result = shell.run_cell(s["source"], store_history=False)
            _close_figures()
            if s["kind"] == "given":
                answers.remember(shell.user_ns, before)
            if s["kind"] == "test":
                passed[s["key"]] = bool(result.success)
                try:  # a failed check's outcome, as data
                    outcomes[s["key"]] = result.error_in_exec.outcome.data()
                except Exception:  # noqa: BLE001 - passed, or failed without a check
                    pass
    finally:
        answers.stop()
    return {"passed": passed, "stopped": stopped, "outcomes": outcomes}


def main(path: str) -> int:
    _harden()
    out = os.dup(1)  # the result goes here; everything the cells print goes nowhere
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    with open(path, encoding="utf-8") as f:
        job = json.load(f)
    os.chdir(job["cwd"])
    try:
        outcome = check(job)
    except BaseException:  # noqa: BLE001 - a fault of the grader's, reported as one
        import traceback

        outcome = {"error": traceback.format_exc()[-4000:]}
    os.write(out, json.dumps(outcome).encode())
    os.close(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
