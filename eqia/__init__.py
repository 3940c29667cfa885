"""eqia: write, quality-check and publish equality impact assessments."""

__version__ = "0.1.0"

#: The assessment file layout this eqia writes and the newest it can read.
SCHEMA_VERSION = 1
