"""Widgets of the procedo app."""
