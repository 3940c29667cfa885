"""Provides the app's screens: start, editor, preview, and the modal dialogs."""
