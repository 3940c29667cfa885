"""The document layer, pure: the assessment model, the form schema, its outline, migrations, key paths,
dates and action rules. No files, no Textual; every other layer builds on it."""
