"""Benchmark: the long key storm. Seeded random keys and pastes through the real app, over every kind
of page of the three shipped forms, checked every 500 keys (see tests/test_tui_keystorm.py).

Run: python tests/benchmarks/bench_keystorm.py [--keys 20000] [--seeds 3] [--first-seed 1] [--jobs 1]
Each seed is one run: one app on a copy of one shipped assessment (seed N takes the forms in turn),
driven with --keys keys. Prints, per run and in total, the keys, the keys per second, and the
failures: exits (the app stopped), contained failures (it kept running through a bug), unparseable
files (the saved file does not open and validate) and mismatches (the file is not what the session
holds, or a visible field shows something the file does not say). Goal: 0 of each. A failing run
prints its seed, to run again with --first-seed SEED --seeds 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


def one_run(seed: int, keys: int) -> dict:
    """Run one storm in this process and return its tally."""
    sys.path.insert(0, str(TESTS))
    import test_tui_keystorm as storm_module
    from pilot_steps import wait_until

    import eqia.tui.screens.editor as editor

    editor.SETTLE_SECONDS, editor.AUTOSAVE_SECONDS = 0.1, 0.5  # autosaves often, amid the typing
    source = storm_module.FILES[seed % len(storm_module.FILES)]
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_STATE_HOME"] = str(Path(folder) / "state")
        os.chdir(folder)  # an export from the storm's keys lands here
        path = Path(folder) / source.name
        shutil.copy(source, path)
        tally = asyncio.run(storm_module.storm(path, seed, keys, wait_until))
    return {
        "seed": seed,
        "file": source.name,
        "keys": tally.keys,
        "seconds": round(tally.seconds, 1),
        "checks": tally.checks,
        "exits": tally.exits,
        "contained": tally.contained,
        "unparseable": tally.unparseable,
        "mismatches": tally.mismatches,
        "problems": tally.problems[:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keys", type=int, default=20_000, help="keys per run (default 20000)")
    parser.add_argument("--seeds", type=int, default=3, help="how many runs, one seed each (default 3)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="runs side by side, each in its own process")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child: run this seed, print JSON
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one_run(args.one, args.keys)), flush=True)
        return 0

    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    results: list[dict] = []
    running: list[tuple[int, subprocess.Popen[str]]] = []
    pending = list(seeds)
    while pending or running:
        while pending and len(running) < max(1, args.jobs):
            seed = pending.pop(0)
            child = subprocess.Popen(
                [sys.executable, __file__, "--one", str(seed), "--keys", str(args.keys)],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            running.append((seed, child))
        seed, child = running.pop(0)
        out, _ = child.communicate()
        try:
            result = json.loads(out.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            failed = f"seed {seed}: the run itself failed (exit status {child.returncode})"
            result = {"seed": seed, "file": "?", "keys": 0, "seconds": 0, "checks": 0, "exits": 1,
                      "contained": 0, "unparseable": 0, "mismatches": 0, "problems": [failed]}  # fmt: skip
        results.append(result)
        rate = result["keys"] / result["seconds"] if result["seconds"] else 0
        print(
            f"seed {result['seed']:>4}  {result['file']:<48} {result['keys']:>7} keys  {rate:6.1f} keys/s  "
            f"exits {result['exits']}  contained {result['contained']}  unparseable {result['unparseable']}  "
            f"mismatches {result['mismatches']}",
            flush=True,
        )
        for problem in result["problems"]:
            print("    " + problem.replace("\n", "\n    "), flush=True)

    keys = sum(r["keys"] for r in results)
    seconds = sum(r["seconds"] for r in results)
    totals = {k: sum(r[k] for r in results) for k in ("exits", "contained", "unparseable", "mismatches")}
    print(
        f"\nseeds {seeds[0]}-{seeds[-1]} ({len(seeds)} runs): {keys} keys in {seconds:.0f} s of storm, "
        f"{keys / seconds if seconds else 0:.1f} keys/s per run; exits {totals['exits']}, "
        f"contained failures {totals['contained']}, unparseable files {totals['unparseable']}, "
        f"mismatches {totals['mismatches']} (goal: 0 of each)"
    )
    failed = [r["seed"] for r in results if any(r[k] for k in totals)]
    if failed:
        print("failing seeds: " + ", ".join(map(str, failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
