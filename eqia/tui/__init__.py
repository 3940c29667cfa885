"""Provides the terminal UI (Textual): the guided walkthrough. Only `eqia`, `eqia edit` import it."""
