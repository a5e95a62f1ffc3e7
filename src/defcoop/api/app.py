"""The web application: the REST API and the web UI over one store."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from defcoop import __version__
from defcoop.api import pages, routes
from defcoop.api.backend import Backend
from defcoop.api.security import BodyLimit, SecurityHeaders
from defcoop.errors import DefcoopError, StoreError, UnknownEvent
from defcoop.store.corrections import BadCorrection

DESCRIPTION = """Sourced records of defence cooperation between countries.

Read the canonical events (filters, pages, counts), each event with the report
sentences its fields came from, and the reports themselves. Writes (new reports,
corrections, merges, splits) are logged with who, when and why; when the server
has a token they need `Authorization: Bearer TOKEN`.
"""


def _readable(exc: RequestValidationError) -> str:
    """The validation errors in one line: `where: what`, for people and logs."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
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
        """422 for a correction the event cannot take."""
        return _json_error(422, str(exc))

    @app.exception_handler(StoreError)
    async def store_failed(_request: Request, exc: StoreError) -> JSONResponse:
        """503: the database failed, not the request."""
        return _json_error(503, str(exc))

    @app.exception_handler(DefcoopError)
    async def refused(_request: Request, exc: DefcoopError) -> JSONResponse:
        """400 for any other error defcoop raises on purpose."""
        return _json_error(400, str(exc))


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
    )
    app.state.backend = backend
    _handle_errors(app)
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.WEB / "static"), name="static")
    app.add_middleware(BodyLimit, limit=backend.config.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
