"""Safe by default: security headers on every response, request body limits, write tokens."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request

from defcoop.api.config import AllowedHosts, host_allowed

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Every script and style is a file served by this server: no inline code, no other origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
WHO_HEADER = "X-Defcoop-User"


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers when the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            """Add the headers to the response start message."""
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


async def _refuse(
    send: Send, status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer with a JSON error before the application sees the request."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
                *(extra or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware refusing request bodies over a size, announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse an announced oversize body at once; stop a streamed one when it overflows."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"request body over the limit of {self.limit} bytes"
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    await _refuse(send, 400, "Content-Length is not a number")
                    return
                if announced > self.limit:
                    await _refuse(send, 413, too_large)
                    return
        received = 0

        async def counted() -> Message:
            """The next body chunk, counted against the limit."""
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, too_large)
            return message

        await self.app(scope, counted, send)


def _header(scope: Scope, name: bytes) -> str | None:
    """A request header's value (the first of that name), or None."""
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class HostCheck:
    """ASGI middleware answering 400 to a Host the server is not bound to (DNS rebinding)."""

    def __init__(self, app: ASGIApp, allowed: AllowedHosts) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass on requests for this server's names; refuse the others, naming none."""
        if scope["type"] == "http":
            host = _header(scope, b"host")
            if host is None or not host_allowed(host, self.allowed):
                # The Host value is not echoed: the answer reflects nothing it was sent.
                await _refuse(send, 400, "the Host header does not name this server")
                return
        await self.app(scope, receive, send)


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def bearer_matches(authorization: str | None, token: str) -> bool:
    """Whether an Authorization header value is `Bearer TOKEN` with this token."""
    scheme, _, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


class WriteToken:
    """ASGI middleware: with a token set, an API write without it is 401 before its body
    is read, so an unauthenticated client can make the server parse nothing."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse writes under /api/ that lack the token; pass everything else on."""
        if (
            self.token
            and scope["type"] == "http"
            and scope.get("method") in WRITE_METHODS
            and str(scope.get("path", "")).startswith("/api/")
            and not bearer_matches(_header(scope, b"authorization"), self.token)
        ):
            await _refuse(send, 401, TOKEN_NEEDED, [(b"www-authenticate", b"Bearer")])
            return
        await self.app(scope, receive, send)


TOKEN_NEEDED = "this server needs a token for writes: send 'Authorization: Bearer TOKEN'"


def token_matches(request: Request, token: str) -> bool:
    """Whether the request carries `Authorization: Bearer TOKEN` with this token."""
    return bearer_matches(request.headers.get("authorization"), token)


def writer_name(request: Request, token: str, given: str | None) -> str:
    """Who makes a write: refused (401) without the token when the server has one.

    The name is the one the request gives (body field or header), else the token
    holder's, else "local" for an unauthenticated loopback server.
    """
    if token and not token_matches(request, token):
        raise HTTPException(401, TOKEN_NEEDED, headers={"WWW-Authenticate": "Bearer"})
    name = (given or request.headers.get(WHO_HEADER, "")).strip()[:100]
    return name or ("token holder" if token else "local")
