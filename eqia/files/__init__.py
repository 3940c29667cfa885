"""The file layer, the only code that opens files: TOML reading, atomic writes, finding and loading
forms, and opening and saving assessments."""
