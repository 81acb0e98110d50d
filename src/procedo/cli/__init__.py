"""The ``procedo`` command: a thin layer that parses, calls the domain, prints and exits.

Exit codes: 0 success, 1 a problem with the input or the data, 2 bad usage.

The click group is in :mod:`procedo.cli.main_group`; the bare ``procedo`` (only path options)
opens the app without importing click (:mod:`procedo.cli.main_home`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procedo.cli.main_group import COMMANDS, cli


def __getattr__(name: str) -> Any:
    """``cli`` and ``COMMANDS``, imported (with click) when first asked."""
    if name in ("cli", "COMMANDS"):
        from procedo.cli import main_group

        return getattr(main_group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    from procedo.cli.main_home import open_home_fast

    try:
        if open_home_fast(sys.argv[1:]):
            sys.exit(0)
        from procedo.cli.main_group import cli

        cli.main(prog_name="procedo", standalone_mode=True)
    except KeyboardInterrupt:
        from procedo.cli.common import fail

        fail("interrupted", code=130)
    except BrokenPipeError:
        sys.exit(0)


__all__ = ["COMMANDS", "cli", "main"]
