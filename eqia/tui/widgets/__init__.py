"""Provides the app's widgets: answer fields, the section sidebar and the checks panel."""
