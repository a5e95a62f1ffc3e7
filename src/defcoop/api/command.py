"""`defcoop serve`: the REST API and the web UI over a store, on one address."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from defcoop import settings
from defcoop.api.config import ServeConfig, unsafe_reason
from defcoop.errors import DefcoopError
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.store.database import Store

err = Console(stderr=True, soft_wrap=True)
VENDOR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor"


def serve_config(
    host: str | None,
    port: int | None,
    token: str | None,
    max_bytes: int | None,
    allowed: list[str] | None = None,
) -> ServeConfig:
    """The server's configuration from the options, the environment and the defaults."""
    raw_port = settings.get_setting("port", None if port is None else str(port))
    try:
        number = int(raw_port)
    except ValueError:
        raise DefcoopError(f"port: {raw_port!r} is not a number") from None
    if not 0 < number < 65536:
        raise DefcoopError(f"port: {number} is not between 1 and 65535")
    return ServeConfig(
        host=settings.get_setting("host", host),
        port=number,
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
) -> None:
    """Serve the REST API and the web UI over the store (http://127.0.0.1:8000/ by default)."""
    # The web stack is imported only by this command: the others start faster without it.
    import uvicorn

    from defcoop.api.app import create_app
    from defcoop.api.backend import Backend

    try:
        config = serve_config(host, port, token, max_bytes, allowed_host)
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
    try:
        store = Store.open(settings.db_url(db))
    except DefcoopError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", highlight=False)
        raise typer.Exit(1) from None
    backend = Backend(store, ActorLexicon.from_package(), Gazetteer.from_package(), config)
    shown = f"[{config.host}]" if ":" in config.host else config.host
    err.print(f"defcoop: open http://{shown}:{config.port}/ (Ctrl-C stops)", highlight=False)
    try:
        uvicorn.run(
            create_app(backend),
            host=config.host,
            port=config.port,
            log_level="warning",
            server_header=False,
        )
    finally:
        store.close()
