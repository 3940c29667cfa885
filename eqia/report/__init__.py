"""The report layer: one format-neutral report tree (and the progress report), and a renderer per format,
with their templates and fonts."""
