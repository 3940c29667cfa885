"""Use cases both front ends share: the edit session, export, upgrade, the form preview, checking
files, the portfolio and action tracking. The CLI and the TUI call these and only print or draw."""
