"""The one table of settings: the CLI, the Python API and the docs all read it.

Each setting has a name, an environment variable, a default and a help line.
A value given on the command line wins over the environment, which wins over
the default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from defcoop.errors import SettingError


@dataclass(frozen=True)
class Setting:
    """One configurable value."""

    name: str
    env: str
    default: str
    help: str


def default_db_url() -> str:
    """A SQLite file in the user's data directory."""
    path = Path(platformdirs.user_data_dir("defcoop")) / "defcoop.db"
    return f"sqlite:///{path}"


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "db",
            "DEFCOOP_DB",
            "",
            "SQLAlchemy URL of the store (default: a SQLite file in the user's data directory)",
        ),
        Setting(
            "max_bytes",
            "DEFCOOP_MAX_BYTES",
            str(2 * 1024 * 1024),
            "largest report text accepted, in bytes; larger reports are rejected",
        ),
        Setting(
            "published",
            "DEFCOOP_PUBLISHED",
            "",
            "publication date (YYYY-MM-DD) for reports that carry none",
        ),
        Setting(
            "host",
            "DEFCOOP_HOST",
            "127.0.0.1",
            "address `defcoop serve` binds to; beyond loopback it needs a token",
        ),
        Setting("port", "DEFCOOP_PORT", "8000", "TCP port of `defcoop serve`"),
        Setting(
            "workers",
            "DEFCOOP_WORKERS",
            "1",
            "server processes of `defcoop serve` answering on the one port (one per core)",
        ),
        Setting(
            "allowed_hosts",
            "DEFCOOP_ALLOWED_HOSTS",
            "",
            "host names `defcoop serve` answers besides the address it binds to (comma-"
            "separated in the variable); requests naming another Host are refused",
        ),
        Setting(
            "every",
            "DEFCOOP_EVERY",
            "30m",
            "how often `defcoop watch` polls a source with no interval of its own "
            "(90s, 30m, 2h, 1d)",
        ),
        Setting(
            "http_timeout",
            "DEFCOOP_HTTP_TIMEOUT",
            "20",
            "seconds `defcoop watch` waits to connect or for the next bytes; a whole response "
            "must arrive within three times this",
        ),
        Setting(
            "http_retries",
            "DEFCOOP_HTTP_RETRIES",
            "2",
            "retries of a request that timed out, failed to connect or got 429/5xx",
        ),
        Setting(
            "retry_backoff",
            "DEFCOOP_RETRY_BACKOFF",
            "2",
            "seconds before the first retry, doubled for each next one; a Retry-After "
            "header wins, up to 60 times this",
        ),
        Setting(
            "host_delay",
            "DEFCOOP_HOST_DELAY",
            "1",
            "seconds between two requests `defcoop watch` sends to one host",
        ),
        Setting(
            "refetch_every",
            "DEFCOOP_REFETCH_EVERY",
            "1d",
            "how often a source is fetched without ETag/Last-Modified validators, "
            "in case the server sends stale ones",
        ),
        Setting(
            "bulk_part",
            "DEFCOOP_BULK_PART",
            "20000",
            "mentions a bulk load resolves at a time: a part into an empty store (a type "
            "and year's mentions always go together), a slice of reports replayed whole "
            "onto a non-empty one (more: faster, more memory)",
        ),
        Setting(
            "bulk_workers",
            "DEFCOOP_BULK_WORKERS",
            "0",
            "processes replaying parts of a bulk load into an empty store at once, each "
            "holding one part (0: one per core, at most 4)",
        ),
        Setting(
            "token",
            "DEFCOOP_TOKEN",
            "",
            "bearer token that writes through the REST API must send (required off loopback)",
        ),
    )
}


def get_setting(name: str, given: str | None = None) -> str:
    """The value of a setting: the given value, else the environment, else the default."""
    setting = SETTINGS[name]
    if given not in (None, ""):
        return str(given)
    return os.environ.get(setting.env) or setting.default


def db_url(given: str | None = None) -> str:
    """The store URL to use."""
    return get_setting("db", given) or default_db_url()


def max_bytes(given: int | None = None) -> int:
    """The size limit on one report's text, in bytes."""
    raw = get_setting("max_bytes", None if given is None else str(given))
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingError(f"max_bytes: {raw!r} is not a whole number of bytes") from exc
    if value <= 0:
        raise SettingError(f"max_bytes: {value} must be positive")
    return value


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def duration_seconds(value: str, name: str = "duration") -> float:
    """Seconds of a duration written ``90``, ``90s``, ``30m``, ``2h`` or ``1d``."""
    match = _DURATION.match(value)
    if match is None:
        raise SettingError(f"{name}: {value!r} is not a duration (e.g. 90s, 30m, 2h, 1d)")
    return float(match[1]) * _UNIT_SECONDS[match[2]]


def number_setting(name: str, given: str | None = None) -> float:
    """A setting that is a non-negative number of seconds or a count."""
    raw = get_setting(name, given)
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingError(f"{name}: {raw!r} is not a number") from exc
    if value < 0:
        raise SettingError(f"{name}: {value} must not be negative")
    return value


def bulk_part(given: int | None = None) -> int:
    """How many mentions a bulk load resolves at a time (`bulk.parts`, `bulk.load`)."""
    value = int(number_setting("bulk_part", None if given is None else str(given)))
    if value < 1:
        raise SettingError(f"bulk_part: {value} must be at least 1")
    return value


def bulk_workers(given: int | None = None) -> int:
    """How many processes replay parts of a bulk load at once (0: one per core, at most 4)."""
    value = int(number_setting("bulk_workers", None if given is None else str(given)))
    if value == 0:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        return max(1, min(cores or os.cpu_count() or 1, 4))
    return value
