"""Benchmark: how costs grow. Save time against the size of one answer, and `eqia check` and
`eqia list` time against the number of files in a folder; each should be a straight line.

Run: python tests/benchmarks/bench_scale.py [--sizes 0.1,0.2,0.4,0.8,1.6] [--folders 250,500,1000]
Prints, per size, the seconds and the seconds per MB (or per file) with the control beside it: the
same text read and parsed by tomllib alone (the least any save or check must do). A straight line
shows as a steady per-MB (per-file) figure; the ratio to the control should stay level too.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import write_batch

from eqia.files import store
from eqia.files.opening import open_assessment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
#: Text an officer might paste: quotes, apostrophes, line breaks.
CHUNK = 'The "Care at Home" framework\'s providers said "yes", with caveats.\n'


def time_save(folder: Path, megabytes: float) -> tuple[float, float]:
    """Seconds to save an assessment whose purpose holds this many MB (a second save, merged into the
    first); and the control: tomllib parsing the saved text."""
    path = folder / f"save-{megabytes}.toml"
    shutil.copy(EXAMPLE, path)
    opened = open_assessment(path)
    a = opened.assessment.model_copy(deep=True)
    a.answers["purpose"].answer = CHUNK * max(1, int(megabytes * 1e6 / len(CHUNK)))
    first = store.save(a, path, opened.form, base=opened.file)
    a = a.model_copy(deep=True)
    a.header["ea_name"] = "Saved again"
    start = time.perf_counter()
    saved = store.save(a, path, opened.form, base=first)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    tomllib.loads(saved.text)
    return seconds, time.perf_counter() - start


def time_command(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "eqia", *args], capture_output=True, check=False, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,0.2,0.4,0.8,1.6", help="answer sizes in MB")
    parser.add_argument("--folders", default="250,500,1000", help="files per folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("save, against the size of one answer (a second save, merged into the first):")
        for mb in (float(s) for s in args.sizes.split(",")):
            seconds, control = time_save(folder, mb)
            print(
                f"  {mb:5.2f} MB: {seconds:7.3f} s  ({seconds / mb:6.3f} s per MB; "
                f"control, tomllib alone: {control / mb:6.3f} s per MB; ratio {seconds / control:5.1f}x)"
            )
        print("eqia check and eqia list, against the number of files:")
        for count in (int(n) for n in args.folders.split(",")):
            batch = folder / f"folder-{count}"
            batch.mkdir()
            write_batch(batch, count)
            control = time_command(["--version"])
            check = time_command(["check", str(batch), "--severity", "error"]) - control
            listed = time_command(["list", str(batch), "--json"]) - control
            print(
                f"  {count:5d} files: check {check:6.2f} s ({check / count * 1000:5.2f} ms per file), "
                f"list {listed:6.2f} s ({listed / count * 1000:5.2f} ms per file)"
            )
        print("(the control for the commands, `eqia --version`, is taken off each figure)")


if __name__ == "__main__":
    main()
