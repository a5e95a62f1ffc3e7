"""`defcoop serve`: the REST API and the web UI over a store, on one address."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from defcoop import settings
from defcoop.api.config import ServeConfig, unsafe_reason
from defcoop.api.workers import WORKER_SETUP, worker_setup
from defcoop.command_options import open_store
from defcoop.errors import DefcoopError
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer

err = Console(stderr=True, soft_wrap=True)
MAX_WORKERS = 64
VENDOR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor"


def _whole(name: str, given: int | None, low: int, high: int) -> int:
    """A whole-number setting, checked to lie between low and high."""
    raw = settings.get_setting(name, None if given is None else str(given))
    try:
        number = int(raw)
    except ValueError:
        raise DefcoopError(f"{name}: {raw!r} is not a number") from None
    if not low <= number <= high:
        raise DefcoopError(f"{name}: {number} is not between {low} and {high}")
    return number


def serve_config(
    host: str | None,
    port: int | None,
    token: str | None,
    max_bytes: int | None,
    allowed: list[str] | None = None,
    workers: int | None = None,
) -> ServeConfig:
    """The server's configuration from the options, the environment and the defaults."""
    number = _whole("port", port, 1, 65535)
    processes = _whole("workers", workers, 1, MAX_WORKERS)
    return ServeConfig(
        host=settings.get_setting("host", host),
        port=number,
        workers=processes,
        token=settings.get_setting("token", token),
        max_report_bytes=settings.max_bytes(max_bytes),
        allowed_hosts=tuple(
            name.strip()
            for name in (allowed or settings.get_setting("allowed_hosts").split(","))
            if name.strip()
        ),
    )


def serve(
    db: Annotated[str | None, typer.Option("--db", help=settings.SETTINGS["db"].help)] = None,
    host: Annotated[str | None, typer.Option("--host", help=settings.SETTINGS["host"].help)] = None,
    port: Annotated[int | None, typer.Option("--port", help=settings.SETTINGS["port"].help)] = None,
    token: Annotated[
        str | None, typer.Option("--token", help=settings.SETTINGS["token"].help)
    ] = None,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", help=settings.SETTINGS["max_bytes"].help)
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option("--allowed-host", help=settings.SETTINGS["allowed_hosts"].help),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help=settings.SETTINGS["workers"].help)
    ] = None,
) -> None:
    """Serve the REST API and the web UI over the store (http://127.0.0.1:8000/ by default)."""
    # The web stack is imported only by this command: the others start faster without it.
    import uvicorn

    from defcoop.api.app import create_app, ready_to_serve
    from defcoop.api.backend import Backend

    try:
        config = serve_config(host, port, token, max_bytes, allowed_host, workers)
    except DefcoopError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", highlight=False)
        raise typer.Exit(2) from None
    reason = unsafe_reason(config)
    if reason is not None:
        err.print(f"[red]{escape(reason)}[/red]", highlight=False)
        raise typer.Exit(2)
    if not (VENDOR / "leaflet" / "leaflet.js").exists():
        err.print(
            "[yellow]the map's libraries are not built: run `make install` "
            "(npm) to see the map[/yellow]"
        )
    url = settings.db_url(db)
    try:
        store = open_store(url)  # created or upgraded here, once, before any worker starts
    except DefcoopError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", highlight=False)
        raise typer.Exit(1) from None
    shown = f"[{config.host}]" if ":" in config.host else config.host
    processes = f" ({config.workers} workers)" if config.workers > 1 else ""
    err.print(
        f"defcoop: open http://{shown}:{config.port}/{processes} (Ctrl-C stops)", highlight=False
    )
    if config.workers > 1:
        store.close()  # each worker process opens its own
        os.environ[WORKER_SETUP] = worker_setup(url, config)
        uvicorn.run(
            "defcoop.api.workers:worker_app",
            factory=True,
            workers=config.workers,
            host=config.host,
            port=config.port,
            log_level="warning",
            server_header=False,
        )
        return
    backend = Backend(store, ActorLexicon.from_package(), Gazetteer.from_package(), config)
    try:
        uvicorn.run(
            ready_to_serve(create_app(backend)),
            host=config.host,
            port=config.port,
            log_level="warning",
            server_header=False,
        )
    finally:
        store.close()
