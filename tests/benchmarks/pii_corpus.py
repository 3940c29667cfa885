"""Benchmark: how the personal data detector does on the corpus of tests/test_personal_data.py.

Run: python tests/benchmarks/pii_corpus.py [--verbose]
Prints each miss and false alarm (and with --verbose every finding), then
"found N, missed M, false alarms F over T texts". Exits 1 when anything was missed or found wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The corpus, and the eqia beside it rather than an installed one.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from test_personal_data import CORPUS, compare, score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every finding, not only the errors")
    args = parser.parse_args()
    for case in CORPUS:
        hits, misses, wrong = compare(case)
        for label, items in (
            ("found", hits if args.verbose else []),
            ("MISSED", misses),
            ("FALSE ALARM", wrong),
        ):
            for kind, text in items:
                print(f"{label:<11} {case.id:<34} {kind:<13} {text!r}")
    found, missed, false_alarms = score()
    print(f"found {found}, missed {missed}, false alarms {false_alarms} over {len(CORPUS)} texts")
    return 1 if missed or false_alarms else 0


if __name__ == "__main__":
    sys.exit(main())
