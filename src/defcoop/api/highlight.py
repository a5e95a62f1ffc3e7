"""A report's text cut into pieces at the edges of the sentences to highlight.

The pieces are rendered by the templates, which escape every one of them: the
text of a report never reaches the page as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Span:
    """A stretch of the text to highlight: offsets, a key (e.g. a mention id), a type."""

    start: int
    end: int
    key: str
    kind: str = ""


@dataclass(frozen=True)
class Piece:
    """A piece of the text, the spans that cover it and the spans that begin there."""

    text: str
    covers: tuple[Span, ...] = ()
    begins: tuple[Span, ...] = ()

    @property
    def keys(self) -> str:
        """The keys of the covering spans, space-separated (for a data attribute)."""
        return " ".join(dict.fromkeys(s.key for s in self.covers))

    @property
    def kinds(self) -> str:
        """The distinct kinds of the covering spans, space-separated (for CSS classes)."""
        return " ".join(dict.fromkeys(f"k-{s.kind}" for s in self.covers if s.kind))


def pieces(text: str, spans: Sequence[Span]) -> list[Piece]:
    """The text cut at every span edge, each piece with the spans covering it.

    Spans outside the text are clipped; empty ones are dropped; overlapping spans
    share the pieces they overlap on.
    """
    kept = [
        Span(max(0, s.start), min(len(text), s.end), s.key, s.kind)
        for s in spans
        if min(len(text), s.end) > max(0, s.start)
    ]
    cuts = sorted({0, len(text), *(s.start for s in kept), *(s.end for s in kept)})
    result: list[Piece] = []
    for left, right in pairwise(cuts):
        covers = tuple(s for s in kept if s.start <= left and right <= s.end)
        begins = tuple(s for s in kept if s.start == left)
        result.append(Piece(text[left:right], covers, begins))
    return result
