"""What a running server needs to know: where it listens, its token, its limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

# JSON escapes can make a body several times longer than the text it carries.
_BODY_PER_TEXT_BYTE = 2
_BODY_OVERHEAD = 64 * 1024
# Beyond loopback, a token anyone can guess in a few tries protects nothing.
MIN_TOKEN_LENGTH = 16


@dataclass(frozen=True)
class ServeConfig:
    """The server's address, its write token (empty: none) and its size limits."""

    host: str = "127.0.0.1"
    port: int = 8000
    token: str = ""
    max_report_bytes: int = 2 * 1024 * 1024
    # Host header names accepted besides the address bound to (DNS rebinding guard)
    allowed_hosts: tuple[str, ...] = ()
    workers: int = 1  # server processes on the one port
    # Read answers kept per server process while the store is unchanged (0: none kept)
    cached_answers: int = 2048

    @property
    def max_body_bytes(self) -> int:
        """The largest request body accepted: room for one report at the size limit."""
        return self.max_report_bytes * _BODY_PER_TEXT_BYTE + _BODY_OVERHEAD


def is_loopback(host: str) -> bool:
    """Whether an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def unsafe_reason(config: ServeConfig) -> str | None:
    """Why the server must not start as configured, or None when it may."""
    if is_loopback(config.host):
        return None
    if not config.token:
        return (
            f"--host {config.host} is reachable from other machines: give --token "
            "(or set DEFCOOP_TOKEN) so that writes need it"
        )
    if len(config.token) < MIN_TOKEN_LENGTH:
        return (
            f"--host {config.host} is reachable from other machines: the token must have "
            f"at least {MIN_TOKEN_LENGTH} characters (it has {len(config.token)})"
        )
    return None


WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class AllowedHosts:
    """The Host header names a server answers: a page on another site that rebinds its
    own name to this address sends that name, and is refused."""

    names: frozenset[str]
    # bound to every address: any IP literal is fine (rebinding needs a DNS name)
    any_address: bool


def allowed_hosts(config: ServeConfig) -> AllowedHosts:
    """The Host names the server bound as configured accepts."""
    bound = config.host.strip().strip("[]").lower()
    names = {bound, *(h.strip().strip("[]").lower().rstrip(".") for h in config.allowed_hosts)}
    if bound in WILDCARD_HOSTS or is_loopback(bound):
        names.update(LOOPBACK_NAMES)
    return AllowedHosts(frozenset(n for n in names if n), any_address=bound in WILDCARD_HOSTS)


def host_name(header: str) -> str:
    """The name in a Host header, without port or brackets, lower case."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    name, _, _port = value.partition(":") if value.count(":") == 1 else (value, "", "")
    return name.rstrip(".")


def host_allowed(header: str, allowed: AllowedHosts) -> bool:
    """Whether a request with this Host header is for this server."""
    name = host_name(header)
    if name in allowed.names:
        return True
    if not allowed.any_address:
        return False
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
