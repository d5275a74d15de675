"""Find a class's submissions in the layouts instructors receive them in.

- nbgrader's own: `<student>/<step>/<notebook>.ipynb` (what `nbgrader collect` and the course's
  `grader/submitted/` hold; `timestamp.txt` beside it is kept for late penalties);
- a flat folder of files named by student and step, as a learning-management system exports
  them: `alice_01_requirements.ipynb`, Canvas's `smithjane_12345_67890_01_requirements.ipynb`
  (and `_LATE_`), or one folder per student holding step-named files, as Moodle's
  `Jane Smith_12345_assignsubmission_file_/01_requirements.ipynb`;
- a zip of either (one wrapping folder is fine).

The result is one `Submission` per student and step: the file to grade, or none (missing).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..course import learner_id
from .record import Status, Submission

MAX_UNZIPPED = 4 * 2**30  # a class's notebooks are megabytes: more is a broken or hostile zip
SKIP = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}
LMS_NOISE = re.compile(r"(?i)(_assignsubmission_file_?|_onlinetext_?|(^|_)late(?=_|$)|_\d+)")


@dataclass
class Collection:
    found: list[Submission]  # sorted by student, then step
    ignored: list[str]  # files that could not be attributed to a student and a step
    layout: str  # "nbgrader", "flat" or "empty"


def unzip(archive: Path, into: Path) -> Path:
    """Extract safely (no path outside `into`, bounded size) and return the content folder."""
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as z:
        members = [m for m in z.infolist() if not _skipped(Path(m.filename))]
        if sum(m.file_size for m in members) > MAX_UNZIPPED:
            raise ValueError(f"{archive} unpacks to more than {MAX_UNZIPPED // 2**30} GiB")
        for m in members:
            z.extract(m, into)  # zipfile drops absolute parts and '..' from member names
    return into


def collect(source: Path, steps: list[str], scratch: Path, *,
            every_step: bool = False) -> Collection:
    """Every submission under `source` (a folder or a .zip) for the course's `steps`: those
    somebody handed in, or all of `steps` with `every_step` (the others are then missing)."""
    source = Path(source)
    if not source.exists():
        raise ValueError(f"no such folder or file: {source}")
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise ValueError(f"{source} is neither a folder nor a zip of submissions")
        source = unzip(source, scratch / "unzipped")
    source = _unwrap(source, steps)
    files: dict[tuple[str, str], list[Path]] = {}
    stamps: dict[tuple[str, str], str] = {}
    students: set[str] = set()
    ignored: list[str] = []
    nbgrader_layout = False
    for entry in sorted(source.iterdir()):
        if _skipped(entry.relative_to(source)):
            continue
        if entry.is_dir() and any((entry / s).is_dir() for s in steps):
            nbgrader_layout = True  # <student>/<step>/...
            student = learner_id(entry.name)
            students.add(student)
            for step in steps:
                folder = entry / step
                if folder.is_dir():
                    files.setdefault((student, step), []).extend(_notebooks(folder))
                    if (folder / "timestamp.txt").is_file():
                        stamps[(student, step)] = (folder / "timestamp.txt").read_text().strip()
        elif entry.is_dir():  # one folder per student (Moodle), step in each file's name
            student = learner_id(LMS_NOISE.sub("", entry.name))
            for nb in _notebooks(entry, deep=True):
                step = _step_in(nb.name, steps)
                if student and step:
                    students.add(student)
                    files.setdefault((student, step), []).append(nb)
                else:
                    ignored.append(str(nb.relative_to(source)))
        elif entry.suffix == ".ipynb":
            student, step = _flat_name(entry.name, steps)
            if student and step:
                students.add(student)
                files.setdefault((student, step), []).append(entry)
            else:
                ignored.append(entry.name)
        elif entry.is_file():
            ignored.append(entry.name)
    wanted = steps if every_step else [s for s in steps if any(k[1] == s for k in files)]
    found = []
    for student in sorted(students):
        for step in wanted:
            found.append(_pick(student, step, files.get((student, step), []),
                               stamps.get((student, step))))
    layout = "nbgrader" if nbgrader_layout else "flat" if found else "empty"
    return Collection(found, ignored, layout)


def _pick(student: str, step: str, candidates: list[Path], stamp: str | None) -> Submission:
    if not candidates:
        return Submission(student, step, reasons=["missing: no notebook handed in"],
                          status=Status.MISSING)
    exact = [p for p in candidates if p.name == f"{step}.ipynb"]
    named = [p for p in candidates if step in p.name]
    chosen = (exact or named or sorted(candidates, key=lambda p: p.stat().st_mtime))[-1]
    reasons = []
    if chosen.parent.name == step and chosen.name != f"{step}.ipynb":
        reasons.append(f"renamed notebook {chosen.name}: graded as {step}.ipynb")
    others = sorted(p.name for p in candidates if p != chosen)
    if others:
        reasons.append(f"graded {chosen.name}; also handed in, not graded: {', '.join(others)}")
    return Submission(student, step, chosen, stamp, reasons)


def _notebooks(folder: Path, deep: bool = False) -> list[Path]:
    found = folder.rglob("*.ipynb") if deep else folder.glob("*.ipynb")
    return sorted(p for p in found if p.is_file() and not _skipped(p.relative_to(folder)))


def _skipped(path: Path) -> bool:
    return any(part in SKIP or part.startswith(".") for part in path.parts)


def _step_in(name: str, steps: list[str]) -> str | None:
    hits = [s for s in steps if s in name]
    return max(hits, key=len) if hits else None


def _flat_name(name: str, steps: list[str]) -> tuple[str | None, str | None]:
    """'smithjane_LATE_12345_67890_01_requirements-1.ipynb' -> ('smithjane', '01_requirements')."""
    step = _step_in(name, steps)
    if step is None:
        return None, None
    prefix = name[:name.index(step)]
    return learner_id(LMS_NOISE.sub("", prefix.rstrip("_- "))) or None, step


def _unwrap(folder: Path, steps: list[str]) -> Path:
    """A zip often holds one folder around everything: look inside it (unless that folder is
    one student's, with step folders in it)."""
    while True:
        entries = [e for e in folder.iterdir() if not _skipped(e.relative_to(folder))]
        if len(entries) != 1 or not entries[0].is_dir():
            return folder
        inner = [e for e in entries[0].iterdir() if not _skipped(e.relative_to(entries[0]))]
        if any(e.name in steps and e.is_dir() for e in inner):
            return folder
        if not (any(e.is_dir() for e in inner)
                or any(_flat_name(e.name, steps)[0] for e in inner if e.is_file())):
            return folder
        folder = entries[0]
