"""Turning documents written elsewhere (Markdown checklists) into process definitions."""
