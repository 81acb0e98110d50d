"""The bare ``procedo`` without click: parse the few options it can have, open the app.

Importing click and the command group costs about 10 ms before the home's first frame; the
bare launch needs none of it. Anything but ``--processes``, ``--db`` and ``--quiet`` (a
command, ``--help``, ``--version``, an unknown or empty option), or a processes folder that
does not exist (click's path says so), goes to the click group as before.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procedo.config import Paths

PATH_OPTIONS = ("--processes", "--db")


def parse_home_args(args: list[str]) -> tuple[dict[str, Path], bool] | None:
    """The path options and ``--quiet`` of a bare ``procedo`` command line, or None when it is
    anything else (the click group then parses it, errors and all)."""
    paths: dict[str, Path] = {}
    quiet = False
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if token == "--quiet":
            quiet = True
            continue
        name, equals, value = token.partition("=")
        if name not in PATH_OPTIONS:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value:
            return None
        paths[name.removeprefix("--")] = Path(value)  # the last one wins, as in click
    return paths, quiet


def launch_app(paths: Paths, *, quiet: bool = False, **kwargs: Any) -> None:
    """Run the app over ``paths``; its journal and catalog open just after the first frame
    (a journal that cannot be used is said on a screen of its own, with q to quit)."""
    from procedo.tui import make_app

    app = make_app(paths, defer_load=True, quiet=quiet, **kwargs)
    # Everything imported so far lives as long as the process: leave it out of the cyclic
    # garbage collector's full passes, which otherwise stall a keypress by ~100 ms now and then.
    gc.freeze()
    app.run()


def open_home_fast(args: list[str]) -> bool:
    """Open the home screen if ``args`` are a bare ``procedo``'s; False (nothing done) if not."""
    parsed = parse_home_args(args)
    if parsed is None:
        return False
    from procedo.config import Paths

    options, quiet = parsed
    paths = Paths.resolve(options.get("processes"), options.get("db"))
    if not paths.processes.exists():
        return False  # the click path says there is no processes folder, then opens the app
    launch_app(paths, quiet=quiet)
    return True


__all__ = ["launch_app", "open_home_fast", "parse_home_args"]
