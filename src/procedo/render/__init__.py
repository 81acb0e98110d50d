"""Rendering without a UI: maps of the flow, the handbook, and run exports."""
