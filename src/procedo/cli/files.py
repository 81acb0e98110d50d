"""Writing files from the CLI: atomically, with the user's umask, never replacing by accident."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_file(target: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``target`` atomically: readers see the old file or the whole new one.

    Without ``force`` an existing file is never replaced (FileExistsError), even one created
    while we wrote: the finished file is hard-linked into place, which fails if it exists.
    """
    if target.exists() and not force:
        raise FileExistsError(target)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)
        if force:
            os.replace(temp, target)
            return
        try:
            os.link(temp, target)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            if target.exists():
                raise FileExistsError(target) from None
            os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def write_or_print(output: str | None, text: str, *, force: bool) -> Path | None:
    """Print ``text`` when no ``-o FILE`` was given, else write it (never replacing an existing
    file without ``force``); the file written, or ``None`` when printed. A refused or failed
    write ends the command with a clear message and exit 1."""
    import click

    from procedo.cli.common import fail

    if output is None:
        click.echo(text, nl=False)
        return None
    target = Path(output)
    try:
        write_file(target, text, force=force)
    except FileExistsError:
        fail(f"{target} already exists; add --force to replace it")
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")
    return target
