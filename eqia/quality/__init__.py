"""The quality layer: the checks (pure functions of form and assessment) and the review lifecycle."""
