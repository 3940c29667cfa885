"""Provides `python -m eqia`, the same as the `eqia` command."""

from eqia.cli import main

main()
