"""Options that several commands read the same way: publication date and size limit."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console

from defcoop import settings
from defcoop.errors import DefcoopError
from defcoop.ingest.readers import ReadOptions

# Never wrap stderr: an error line must keep the whole file name greppable.
err = Console(stderr=True, soft_wrap=True)


def read_options(published: str | None, max_bytes: int | None) -> ReadOptions:
    """Reading options from the command line and the settings table; exit 2 when invalid."""
    raw = settings.get_setting("published", published)
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        err.print(f"[red]--published: {raw!r} is not a date (YYYY-MM-DD)[/red]")
        raise typer.Exit(2) from None
    try:
        limit = settings.max_bytes(max_bytes)
    except DefcoopError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    return ReadOptions(published=day, max_bytes=limit)
