"""Reusable widgets: validated form fields and their undo steps."""
