"""The sources `defcoop watch` follows: feed or sitemap addresses, or TOML files listing them.

A sources file::

    [[source]]
    name = "Example ministry"          # optional; default: the address without its scheme
    url = "https://mod.example/rss"
    kind = "feed"                      # feed, sitemap or auto (the default)
    interval = "1h"                    # optional; default: --every
    language = "en"                    # optional; default: the page's own
    enabled = true                     # optional
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from defcoop.errors import MalformedInput, SettingError, UnreadableInput
from defcoop.ingest.urls import normalized_url
from defcoop.settings import duration_seconds
from defcoop.watch.listing import KINDS, Kind

_KEYS = {"name", "url", "kind", "interval", "language", "enabled"}


@dataclass(frozen=True)
class Source:
    """One feed or sitemap to follow."""

    name: str
    url: str
    kind: Kind = "auto"
    interval: float | None = None  # seconds between polls; None: the watch's --every
    language: str | None = None
    enabled: bool = True


def source_name(url: str) -> str:
    """The default name of a source: its address without the scheme."""
    parts = urlsplit(normalized_url(url))
    return (
        parts.netloc
        + (parts.path if parts.path != "/" else "")
        + (f"?{parts.query}" if parts.query else "")
    )


def _is_address(value: str) -> bool:
    """Whether a SOURCE argument is a web address rather than a file."""
    return value.lower().startswith(("http://", "https://"))


def _source_from_table(table: object, where: str) -> Source:
    """A source from one ``[[source]]`` table; a bad value names the file and entry."""
    if not isinstance(table, dict):
        raise MalformedInput(where, "each [[source]] must be a table")
    unknown = set(table) - _KEYS
    if unknown:
        raise MalformedInput(where, f"unknown keys {sorted(unknown)}; known: {sorted(_KEYS)}")
    url = table.get("url")
    if not isinstance(url, str) or not _is_address(url):
        raise MalformedInput(where, "'url' must be an http:// or https:// address")
    kind = table.get("kind", "auto")
    if kind not in KINDS:
        raise MalformedInput(where, f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    interval = None
    if "interval" in table:
        try:
            interval = duration_seconds(str(table["interval"]), "interval")
        except SettingError as exc:
            raise MalformedInput(where, str(exc)) from exc
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise MalformedInput(where, "'enabled' must be true or false")
    name = table.get("name") or source_name(url)
    language = table.get("language")
    if not isinstance(name, str) or (language is not None and not isinstance(language, str)):
        raise MalformedInput(where, "'name' and 'language' must be strings")
    return Source(name, normalized_url(url), kind, interval, language, enabled)


def read_sources_file(path: Path) -> list[Source]:
    """The sources a TOML file lists."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UnreadableInput(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UnreadableInput(str(path), "not valid UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MalformedInput(str(path), f"invalid TOML: {exc}") from exc
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise MalformedInput(str(path), "no [[source]] tables")
    return [_source_from_table(t, f"{path} [[source]] {i + 1}") for i, t in enumerate(tables)]


def read_sources(given: Iterable[str]) -> list[Source]:
    """The enabled sources of the SOURCE arguments: addresses and TOML files, names unique."""
    found: list[Source] = []
    for value in given:
        if _is_address(value):
            found.append(Source(source_name(value), normalized_url(value)))
        else:
            found.extend(read_sources_file(Path(value)))
    names: dict[str, Source] = {}
    for source in found:
        if source.name in names and names[source.name].url != source.url:
            raise MalformedInput(source.name, "two sources have this name; give each its own")
        names[source.name] = source
    return [s for s in names.values() if s.enabled]
