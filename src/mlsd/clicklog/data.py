"""Locating, generating, caching and loading the click log.

A log lives in `<data dir>/<preset>/`: one Parquet file per entity table and one file per
day for the event tables (impressions, clicks, hides, conversions, truth), plus
`manifest.json`, written last, which says the log is complete and which simulator made it.
Notebooks call `load_log()`; it generates the log on first use, so nothing depends on the
working folder.

A learner can have a log of their own: a learner id ($MLSD_LEARNER, set by `mlsd lab
--learner` and by the grader's `--variants`) derives the simulator's seed, and that log lives in
`<data dir>/<preset>-seed<seed>/`. Copied answers then stop matching.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..course import learner_id, repo_root
from .simulate import SIMULATOR_VERSION, Preset, Simulator, get_preset

ENTITY_TABLES = ("users", "advertisers", "ads")
EVENT_TABLES = ("impressions", "clicks", "hides", "conversions")
ORACLE_TABLE = "truth"  # read only through mlsd.clicklog.oracle
DEFAULT_PRESET = "default"


class DataError(RuntimeError):
    """The click log cannot be found or read; the message says what to do."""


def data_dir() -> Path:
    """Where logs are kept: $MLSD_DATA_DIR, else the repository's data/, else a user cache."""
    if os.environ.get("MLSD_DATA_DIR"):
        return Path(os.environ["MLSD_DATA_DIR"]).expanduser().resolve()
    root = repo_root()
    if root is not None:
        return root / "data"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mlsd"


def build_dir() -> Path:
    """Where the course writes what it builds: $MLSD_BUILD_DIR, else the repository's build/,
    else a user cache. Graders and test runs set $MLSD_BUILD_DIR, so that notebooks running
    side by side never share a registry."""
    if os.environ.get("MLSD_BUILD_DIR"):
        return Path(os.environ["MLSD_BUILD_DIR"]).expanduser().resolve()
    root = repo_root()
    if root is not None:
        return root / "build"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mlsd" / "build"


@contextlib.contextmanager
def separate_build_dir(prefix: str = "mlsd-build-"):
    """Point $MLSD_BUILD_DIR at a new temporary folder while notebooks run (their kernels
    inherit it), then remove it: a run that is checked or graded leaves the learner's build/
    alone and never meets another run's registry."""
    before = os.environ.get("MLSD_BUILD_DIR")
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        os.environ["MLSD_BUILD_DIR"] = folder
        try:
            yield Path(folder)
        finally:
            if before is None:
                os.environ.pop("MLSD_BUILD_DIR", None)
            else:
                os.environ["MLSD_BUILD_DIR"] = before


def resolve_preset(preset: str | None = None) -> str:
    """None means the course default: $MLSD_PRESET if set (the grader sets it), else 'default'."""
    name = preset or os.environ.get("MLSD_PRESET") or DEFAULT_PRESET
    get_preset(name)  # raises a readable error for unknown names
    return name


def resolve_learner(learner: str | None = None) -> str | None:
    """None means $MLSD_LEARNER if set, else nobody in particular: the course's own log."""
    value = os.environ.get("MLSD_LEARNER", "") if learner is None else learner
    return value.strip() or None


def learner_seed(learner: str, preset: str | None = None) -> int:
    """The seed of a learner's log: a hash of their id (as `course.learner_id` keeps it, the
    grader's student id), so the same id always gets the same log and another id another log
    (2^31 seeds: two learners of a class share one by chance only)."""
    base = get_preset(resolve_preset(preset)).seed
    key = learner_id(learner)
    digest = hashlib.sha256(f"mlsd-learner\0{base}\0{key}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def log_preset(preset: str | None = None, learner: str | None = None) -> Preset:
    """The preset of the log notebooks load: the course's, or its learner's variant."""
    name = resolve_preset(preset)
    who = resolve_learner(learner)
    p = get_preset(name)
    return p if who is None else p.with_(seed=learner_seed(who, name))


def _folder(p: Preset) -> str:
    return p.name if p.seed == get_preset(p.name).seed else f"{p.name}-seed{p.seed}"


def log_dir(preset: str | None = None, root: Path | None = None,
            learner: str | None = None) -> Path:
    return (root or data_dir()) / _folder(log_preset(preset, learner))


def _expected_manifest(preset: Preset) -> dict:
    # through JSON, so tuples compare equal to the lists read back from the manifest
    made_by = {"simulator_version": SIMULATOR_VERSION, "config": preset.config()}
    return json.loads(json.dumps(made_by))


def read_manifest(path: Path) -> dict | None:
    try:
        return json.loads((path / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


def is_current(path: Path, preset: Preset) -> bool:
    """The folder holds a complete log made by this simulator version for this preset."""
    manifest = read_manifest(path)
    if manifest is None:
        return False
    expected = _expected_manifest(preset)
    if any(manifest.get(k) != v for k, v in expected.items()):
        return False
    return all((path / f).is_file() for f in manifest.get("files", []))


def _write(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, path, compression="zstd")


_simulator: dict[str, Simulator] = {}  # one per process: the entity tables are built once


def _write_day(args) -> tuple[int, dict]:
    preset, d, out = args
    key = json.dumps(preset.config(), sort_keys=True)
    if key not in _simulator:
        _simulator.clear()
        _simulator[key] = Simulator(preset)
    day = _simulator[key].day(d)
    stamp = preset.days()[d].strftime("%Y-%m-%d")
    rows = {}
    for name in (*EVENT_TABLES, ORACLE_TABLE):
        df = getattr(day, name)
        _write(df, Path(out) / name / f"{stamp}.parquet")
        rows[name] = len(df)
    return d, rows


def generate(
    preset: str | Preset,
    root: Path | None = None,
    *,
    force: bool = False,
    jobs: int = 1,
    progress: bool = True,
) -> Path:
    """Write a preset's log under `root` (default: `data_dir()`) and return its folder.

    Idempotent: a complete, current log is left alone unless `force`. The log is built in a
    temporary folder and moved into place at the end, so an interrupted run leaves nothing
    half-written and two processes generating at once do not clash.
    """
    from tqdm import tqdm

    p = get_preset(preset) if isinstance(preset, str) else preset
    root = Path(root) if root else data_dir()
    final = root / _folder(p)
    if not force and is_current(final, p):
        return final
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{p.name}-", dir=root))
    try:
        sim = Simulator(p)
        files, rows = [], {t: 0 for t in (*EVENT_TABLES, ORACLE_TABLE)}
        for name in ENTITY_TABLES:
            _write(getattr(sim.entities, name), tmp / f"{name}.parquet")
            files.append(f"{name}.parquet")
        bar = tqdm(
            total=p.n_days, desc=f"generating '{_folder(p)}' click log", unit="day",
            disable=not progress, file=sys.stderr,
        )
        tasks = [(p, d, str(tmp)) for d in range(p.n_days)]
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = list(_progress(pool.map(_write_day, tasks), bar))
        else:
            results = list(_progress(map(_write_day, tasks), bar))
        bar.close()
        for d, r in sorted(results):
            stamp = p.days()[d].strftime("%Y-%m-%d")
            files += [f"{t}/{stamp}.parquet" for t in r]
            for t, n in r.items():
                rows[t] += n
        manifest = {
            **_expected_manifest(p),
            "days": [day.strftime("%Y-%m-%d") for day in p.days()],
            "drift_date": p.days()[p.drift_day].strftime("%Y-%m-%d"),
            "rows": rows,
            "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        _readable_by_all(tmp)
        if final.exists():
            shutil.rmtree(final)
        try:
            tmp.rename(final)
        except OSError:
            if not is_current(final, p):  # another process won the race with a good log
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def _readable_by_all(folder: Path) -> None:
    """The log is read by every user of the machine: a grader running as root hands the
    notebooks it grades to user `nobody` only when the log is readable by all (mkdtemp makes
    its folder private to its owner)."""
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        wanted = mode | stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
        if path.is_dir():
            wanted |= stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
        if wanted != mode:
            path.chmod(wanted)


def _progress(results, bar):
    for r in results:
        bar.update(1)
        yield r


def ensure_log(preset: str | None = None, *, progress: bool = True,
               learner: str | None = None) -> Path:
    """The folder of a complete, current log (the learner's own with a learner id), generated
    first if needed."""
    p = log_preset(preset, learner)
    path = log_dir(p.name, learner=learner)
    if not is_current(path, p):
        if progress:
            print(f"The '{path.name}' click log is not in {path.parent} yet: generating it once.",
                  file=sys.stderr)
        generate(p, path.parent, force=True, progress=progress)
    elif not path.stat().st_mode & stat.S_IROTH:  # made by an earlier version of the course
        try:
            _readable_by_all(path)
        except OSError:  # another user's log: theirs to share
            pass
    return path


def _read(path: Path, files: list[Path], columns=None) -> pd.DataFrame:
    try:
        frames = [pd.read_parquet(f, columns=columns) for f in files]
    except (OSError, pa.ArrowException) as err:
        raise DataError(
            f"Could not read the click log in {path}: {err}.\n"
            f"Regenerate it with:  mlsd data --preset {path.name} --force"
        ) from None
    if not frames:
        raise DataError(
            f"No files in {path}. Regenerate with: mlsd data --preset {path.name} --force"
        )
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def read_table(name: str, preset: str | None = None, days=None, columns=None,
               learner: str | None = None) -> pd.DataFrame:
    """One table of a log; `days` (dates or 0-based indices) restricts the event tables."""
    path = ensure_log(preset, learner=learner)
    if name in ENTITY_TABLES:
        return _read(path, [path / f"{name}.parquet"], columns)
    if name not in (*EVENT_TABLES, ORACLE_TABLE):
        raise ValueError(f"unknown table {name!r}")
    manifest = read_manifest(path)
    stamps = manifest["days"]
    if days is not None:
        stamps = [stamps[d] if isinstance(d, int) else pd.Timestamp(d).strftime("%Y-%m-%d")
                  for d in days]
    return _read(path, [path / name / f"{s}.parquet" for s in stamps], columns)


@dataclass
class ClickLog:
    """The public tables of one log. The true click probabilities are not here: see
    mlsd.clicklog.oracle."""

    preset: str
    users: pd.DataFrame
    advertisers: pd.DataFrame
    ads: pd.DataFrame
    impressions: pd.DataFrame
    clicks: pd.DataFrame
    hides: pd.DataFrame
    conversions: pd.DataFrame
    days: pd.DatetimeIndex
    learner: str | None = None  # whose log this is; None: the course's own

    def __repr__(self) -> str:
        sizes = ", ".join(
            f"{t}={len(getattr(self, t)):,}" for t in (*ENTITY_TABLES, *EVENT_TABLES)
        )
        whose = f", learner={self.learner!r}" if self.learner else ""
        return (f"ClickLog(preset={self.preset!r}{whose}, "
                f"{self.days[0].date()}..{self.days[-1].date()}, {sizes})")


def load_log(preset: str | None = None, days=None, learner: str | None = None) -> ClickLog:
    """Load a preset's log (generating it on first use). `preset=None` is the course default;
    `learner=None` is $MLSD_LEARNER's log when it is set, else the course's own."""
    name = resolve_preset(preset)
    who = resolve_learner(learner)
    path = ensure_log(name, learner=who)
    manifest = read_manifest(path)
    tables = {t: read_table(t, name, learner=who) for t in ENTITY_TABLES}
    tables.update({t: read_table(t, name, days=days, learner=who) for t in EVENT_TABLES})
    all_days = pd.DatetimeIndex(pd.to_datetime(manifest["days"]))
    if days is not None:
        all_days = all_days[[d if isinstance(d, int) else all_days.get_loc(pd.Timestamp(d))
                             for d in days]]
    return ClickLog(preset=name, days=all_days, learner=who, **tables)


def variant_log(seed: int, preset: str = "tiny") -> ClickLog:
    """Another log of a preset's size, drawn from `seed`, made in memory and never cached.

    Hidden tests run an answer on it too, so an answer fitted to one log's quirks (its dates,
    its number of days) shows itself. The oracle's truth stays in the simulator.
    """
    p = get_preset(preset).with_(seed=seed)
    sim = Simulator(p)
    days = [sim.day(d) for d in range(p.n_days)]
    events = {t: pd.concat([getattr(day, t) for day in days], ignore_index=True)
              for t in EVENT_TABLES}
    return ClickLog(preset=f"{p.name} (seed {seed})", days=p.days(),
                    **{t: getattr(sim.entities, t) for t in ENTITY_TABLES}, **events)
