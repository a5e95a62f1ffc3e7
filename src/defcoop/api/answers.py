"""Cached answers of the read-only API: JSON bytes kept while the store's version stands.

A list page or a count is computed once per store version (`Store.version`, raised by
every write transaction of any process, in that transaction) and served from memory
until the version changes. The version is read before the answer is computed, so a
kept answer is never older than the version it is filed under: a write makes every
request after its commit miss and compute afresh. Each server process has its own
cache, bounded in entries and bytes (least recently used out first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

import orjson
from fastapi.responses import Response

MAX_BYTES = 256 * 1024 * 1024  # the answers one server process keeps at most
JSON = "application/json"


def json_bytes(value: object) -> bytes:
    """A value as compact UTF-8 JSON (what the API answers)."""
    return orjson.dumps(value)


class AnswerCache:
    """Recent answers, by request key, valid at one store version."""

    def __init__(self, max_entries: int, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._version: int | None = None
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # routes run on a thread pool

    @property
    def keeps(self) -> bool:
        """Whether any answer is kept (a cache of no entries keeps none)."""
        return self.max_entries > 0

    def get(self, version: int, key: Hashable) -> bytes | None:
        """The answer kept for `key` at `version`, or None."""
        with self._lock:
            if version != self._version:
                return None
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
            return found

    def put(self, version: int, key: Hashable, body: bytes) -> None:
        """Keep an answer computed at `version` (after reading it); answers of older
        versions go, and an answer of a version already superseded is not kept."""
        if self.max_entries <= 0 or len(body) > self.max_bytes:
            return
        with self._lock:
            if self._version is not None and version < self._version:
                return
            if version != self._version:
                self._answers.clear()
                self._bytes = 0
                self._version = version
            if key in self._answers:
                return
            self._answers[key] = body
            self._bytes += len(body)
            while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped)


def json_response(body: bytes) -> Response:
    """An answer of JSON bytes already encoded."""
    return Response(content=body, media_type=JSON)
