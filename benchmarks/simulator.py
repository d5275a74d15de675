"""Speed, peak memory and size on disk of the click-log simulator, preset by preset.

    .venv/bin/python benchmarks/simulator.py [presets...] [--jobs N] [--json PATH]

With no presets, every preset of `mlsd.clicklog.simulate.PRESETS` is run. Each preset is generated
with `mlsd.clicklog.data.generate` into its own temporary folder (removed afterwards) by a fresh
child process, so the peak resident memory reported is that preset's alone. With --jobs > 1
the days are written by worker processes: their peak (the largest worker's) is reported
beside the main process's. Prints a Markdown table; --json also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))  # works without the editable install too

from mlsd.clicklog.simulate import PRESETS  # noqa: E402


def child(preset: str, root: Path, jobs: int) -> dict:
    """Generate one preset in this process and measure it (run by the --child mode)."""
    from mlsd.clicklog.data import generate

    started = time.perf_counter()
    folder = generate(preset, root, force=True, jobs=jobs, progress=False)
    seconds = time.perf_counter() - started
    rows = json.loads((folder / "manifest.json").read_text())["rows"]["impressions"]
    return {
        "preset": preset,
        "jobs": jobs,
        "seconds": round(seconds, 2),
        "impressions": rows,
        "impressions_per_s": round(rows / seconds),
        # ru_maxrss is in KiB on Linux
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "worker_peak_rss_mib": (
            round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
            if jobs > 1 else None
        ),
        "disk_bytes": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()),
    }


def measure(preset: str, jobs: int) -> dict:
    """Run one preset in a fresh child process, in a temporary folder removed afterwards."""
    root = tempfile.mkdtemp(prefix=f"mlsd-bench-{preset}-")
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child", preset, "--root", root, "--jobs", str(jobs)],
            check=True, stdout=subprocess.PIPE, text=True,
        ).stdout
        return json.loads(out.splitlines()[-1])
    finally:
        shutil.rmtree(root, ignore_errors=True)


def table(results: list[dict]) -> str:
    lines = [
        "| preset | jobs | seconds | impressions | impressions/s | peak RSS (MiB) "
        "| worker peak RSS (MiB) | on disk (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        worker = "–" if r["worker_peak_rss_mib"] is None else f"{r['worker_peak_rss_mib']:,}"
        lines.append(
            f"| {r['preset']} | {r['jobs']} | {r['seconds']:.1f} | {r['impressions']:,} "
            f"| {r['impressions_per_s']:,} | {r['peak_rss_mib']:,} | {worker} "
            f"| {r['disk_bytes'] / 2**20:,.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("presets", nargs="*", metavar="PRESET",
                      help=f"presets to run (default: all of {', '.join(PRESETS)})")
    args.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    args.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args.add_argument("--child", help=argparse.SUPPRESS)
    args.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    opts = args.parse_args()
    if opts.child:
        print(json.dumps(child(opts.child, opts.root, opts.jobs)))
        return 0
    unknown = [p for p in opts.presets if p not in PRESETS]
    if unknown:
        args.error(f"unknown preset {unknown[0]!r}: choose from {', '.join(PRESETS)}")
    results = []
    for preset in opts.presets or list(PRESETS):
        results.append(measure(preset, opts.jobs))
        print(f"{preset}: {results[-1]['seconds']:.1f} s", file=sys.stderr)
    print(table(results))
    if opts.json:
        opts.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
