"""The web application: the REST API and the web UI over one store."""

from __future__ import annotations

import gc
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from defcoop import __version__
from defcoop.api import pages, review, routes, series, sources
from defcoop.api.backend import Backend
from defcoop.api.config import allowed_hosts
from defcoop.api.links import with_links
from defcoop.api.models import CLEARABLE_DATE
from defcoop.api.security import BodyLimit, HostCheck, SecurityHeaders, WriteToken
from defcoop.errors import DefcoopError, StoreError, UnknownEvent
from defcoop.ingest.report_ids import REPORT_ID_PATTERN, REPORT_ID_RULE
from defcoop.iso_dates import DAY_FORMAT, DAY_PATTERN, PARTIAL_FORMAT, PARTIAL_PATTERN
from defcoop.store.corrections import BadCorrection

DESCRIPTION = """Sourced records of defence cooperation between countries.

Read the canonical events (filters, pages, counts), each event with the report
sentences its fields came from, and the reports themselves. Writes (new reports,
corrections, merges, splits) are logged with who, when and why; when the server
has a token they need `Authorization: Bearer TOKEN`.
"""


log = logging.getLogger("defcoop.api")
STORE_UNAVAILABLE = "the store is busy or unavailable; try again shortly"


# What a value that fails one of the schema's patterns should have been (the patterns
# themselves are long and say little to a reader).
_PATTERN_REASONS = {
    DAY_PATTERN: f"is not a date ({DAY_FORMAT})",
    PARTIAL_PATTERN: f"is not a date ({PARTIAL_FORMAT})",
    CLEARABLE_DATE: f"is not a date ({PARTIAL_FORMAT}) or empty",
    REPORT_ID_PATTERN: f"is not a usable report id ({REPORT_ID_RULE})",
    r"\S": "is empty",
}


def _readable(exc: RequestValidationError) -> str:
    """The validation errors in one line: `where: what`, for people and logs."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path"))
        message = str(error.get("msg", "invalid"))
        if error.get("type") == "string_pattern_mismatch":
            pattern = str(error.get("ctx", {}).get("pattern", ""))
            shown = repr(error.get("input"))
            shown = shown if len(shown) <= 60 else shown[:60] + "..."
            message = f"{shown} {_PATTERN_REASONS.get(pattern, 'does not have the form required')}"
        parts.append(f"{where or 'request'}: {message}")
    return "; ".join(parts)


def _json_error(status: int, message: str) -> JSONResponse:
    """An error answer in the API's shape."""
    return JSONResponse({"detail": message}, status_code=status)


def _handle_errors(app: FastAPI) -> None:
    """Map defcoop's errors to HTTP answers: 4xx for the caller's mistakes, 503 for the store."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 with a one-line reason."""
        return _json_error(422, _readable(exc))

    @app.exception_handler(UnknownEvent)
    async def unknown(_request: Request, exc: UnknownEvent) -> JSONResponse:
        """404 for an event id that is not in the store."""
        return _json_error(404, str(exc))

    @app.exception_handler(BadCorrection)
    async def bad_correction(_request: Request, exc: BadCorrection) -> JSONResponse:
        """409 for a well-formed write the store refuses (an unknown participant, a mention
        not in the event, ...): 422 is kept for a request that does not fit the schema."""
        return _json_error(409, str(exc))

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> JSONResponse:
        """503: the database failed, not the request. The detail (store path, SQL) is
        logged for the operator, never sent to the client."""
        log.error("%s %s: %s", request.method, request.url.path, exc)
        return _json_error(503, STORE_UNAVAILABLE)

    @app.exception_handler(DefcoopError)
    async def refused(_request: Request, exc: DefcoopError) -> JSONResponse:
        """400 for any other error defcoop raises on purpose."""
        return _json_error(400, str(exc))


def _link_operations(app: FastAPI) -> None:
    """Serve the schema with its links (which answer gives the ids another operation takes)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_links(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(backend: Backend) -> FastAPI:
    """The application serving the REST API under /api and the web UI at /."""
    app = FastAPI(
        title="defcoop",
        version=__version__,
        description=DESCRIPTION,
        # The interactive docs pages load scripts from a CDN: the browser must fetch
        # nothing from the internet, so only the schema is served.
        docs_url=None,
        redoc_url=None,
        # Slash redirects would be absolute URLs built from the Host header.
        redirect_slashes=False,
    )
    app.state.backend = backend
    _handle_errors(app)
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.include_router(sources.router)
    app.include_router(review.router)
    app.include_router(series.router)
    app.mount("/static", StaticFiles(directory=pages.WEB / "static"), name="static")
    _link_operations(app)
    # Outermost last: headers on every answer, then the Host check, then the token
    # (before any body is read), then the body limit.
    app.add_middleware(BodyLimit, limit=backend.config.max_body_bytes)
    app.add_middleware(WriteToken, token=backend.config.token)
    app.add_middleware(HostCheck, allowed=allowed_hosts(backend.config))
    app.add_middleware(SecurityHeaders)
    return app


def ready_to_serve(app: FastAPI) -> FastAPI:
    """The app, built in the process that serves it: what that process has loaded so far
    (the web stack, the lexicons, the gazetteer: about 140,000 objects) is moved out of
    the garbage collector's walks (`gc.freeze`), for good.

    Each full collection would walk them all, 60-90 ms during which the process
    answers nothing; at a million events computed pages set off about one every 300
    requests, and those pauses were the tail of every endpoint's latency.
    """
    gc.collect()  # what loading left behind goes first, rather than being kept for good
    gc.freeze()
    return app
