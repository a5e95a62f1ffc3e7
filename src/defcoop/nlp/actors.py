"""The actor lexicon: countries (ISO 3166-1 alpha-3) and alliances (acronym) named in text.

A country is named by its name ("Türkiye", "Turkey"), a demonym ("Turkish"), or its
capital used as a metonym ("Ankara"). Region names that contain a country word
("Latin American", "South China Sea") are listed as "ignore" entries: the
longest match wins, so they hide the country inside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal, cast

from defcoop.nlp.names_index import NameIndex, Starts

ActorKind = Literal["name", "demonym", "capital", "alliance"]
ACTOR_KINDS: tuple[str, ...] = ("name", "alliance", "demonym", "capital")
IGNORE = "ignore"


@dataclass(frozen=True)
class ActorHit:
    """A country or alliance named in a text, with character offsets into that text."""

    start: int
    end: int
    text: str
    code: str  # ISO 3166-1 alpha-3, or an alliance acronym (NATO, CSTO, OTS, EU, UN, ...)
    kind: ActorKind


def _read_tsv(name: str) -> list[list[str]]:
    """The rows of a tab-separated data file shipped in defcoop.data."""
    text = resources.files("defcoop.data").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line]


class ActorLexicon:
    """Surface forms of countries and alliances, found in text by longest match."""

    def __init__(
        self,
        entries: Iterable[tuple[str, str, str]],
        names: Mapping[str, str] | None = None,
    ) -> None:
        listed = list(entries)
        # A name beats a demonym beats a capital when one surface form has several readings.
        listed.sort(key=lambda e: ACTOR_KINDS.index(e[2]) if e[2] in ACTOR_KINDS else -1)
        self._index: NameIndex[tuple[str, str]] = NameIndex(
            ((surface, (code, kind)) for surface, code, kind in listed), capital_start=True
        )
        self._names: dict[str, str] = dict(names or {})
        self.alliances = frozenset(code for _, code, kind in listed if kind == "alliance")
        for surface, code, kind in listed:
            if kind in ("name", "alliance") and code not in self._names:
                self._names[code] = surface

    @classmethod
    def from_package(cls) -> ActorLexicon:
        """The lexicon shipped in defcoop/data (actors.tsv, actor_names.tsv)."""
        entries = [(row[0], row[1], row[2]) for row in _read_tsv("actors.tsv")]
        names = {row[0]: row[1] for row in _read_tsv("actor_names.tsv")}
        return cls(entries, names)

    def find(
        self, text: str, spans: list[tuple[int, int]] | None = None, starts: Starts | None = None
    ) -> list[ActorHit]:
        """Countries and alliances named in text: non-overlapping, longest first, left to right.

        `spans` and `starts`: the text's tokens and capitalized tokens (`names_index`).
        """
        hits: list[ActorHit] = []
        for match in self._index.find(text, spans=spans, starts=starts):
            code, kind = match.values[0]
            if kind == IGNORE:
                continue
            hits.append(ActorHit(match.start, match.end, match.text, code, cast(ActorKind, kind)))
        return hits

    def lookup(self, name: str) -> str | None:
        """The code a name stands for, whatever its case ("turkish" -> "TUR"), or None."""
        for code, kind in self._index.get(name):
            return None if kind == IGNORE else code
        return None

    def name_of(self, code: str) -> str | None:
        """The display name of a code ("AZE" -> "Azerbaijan"), or None if unknown."""
        return self._names.get(code)
