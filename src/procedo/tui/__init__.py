"""The Textual terminal app: a thin layer over the workspace, engine and journal."""

from procedo.tui.app import ProcedoApp, StartRequest, make_app

__all__ = ["ProcedoApp", "StartRequest", "make_app"]
