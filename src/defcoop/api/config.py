"""What a running server needs to know: where it listens, its token, its limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

# JSON escapes can make a body several times longer than the text it carries.
_BODY_PER_TEXT_BYTE = 2
_BODY_OVERHEAD = 64 * 1024


@dataclass(frozen=True)
class ServeConfig:
    """The server's address, its write token (empty: none) and its size limits."""

    host: str = "127.0.0.1"
    port: int = 8000
    token: str = ""
    max_report_bytes: int = 2 * 1024 * 1024

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
    if not is_loopback(config.host) and not config.token:
        return (
            f"--host {config.host} is reachable from other machines: give --token "
            "(or set DEFCOOP_TOKEN) so that writes need it"
        )
    return None
