"""A token-sequence index of proper names, shared by the actor lexicon and the gazetteer.

Names are compared in a folded form (lower case, no diacritics, one kind of
apostrophe and hyphen), so "Türkiye", "Turkiye" and "TÜRKIYE" share a key. The
case of the text still matters: a capitalized word of a name must be
capitalized in the text ("Turkish" but not "turkish"), and an acronym must be
written exactly ("US" but not "us").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")

# A dotted abbreviation ("U.S.", "U.K.") is one token; otherwise runs of letters and digits.
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+")
# What may stand between two tokens of one name: a space, a hyphen, an apostrophe, a dot.
GAP = re.compile(r"[\s\-‐‑‒–—'’‘`´ʼ.]{1,3}")
SPACES = re.compile(r"\s+")
DASHES = re.compile(r"[‐‑‒–—]")
APOSTROPHES = re.compile(r"[’‘`´ʼ]")
# Letters NFKD does not decompose into a base letter and a mark.
SPECIAL_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ə": "e",
        "Ə": "E",
        "ħ": "h",
    }
)
EXACT, CAPITAL, ANY = 0, 1, 2


def fold(text: str) -> str:
    """Lower-case, diacritic-free form of a name, used to compare names."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(SPECIAL_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(SPECIAL_LETTERS).lower()


def tokens(text: str) -> list[tuple[int, int]]:
    """The token spans of a text, as every index tokenizes it (shareable between indexes)."""
    return [m.span() for m in TOKEN.finditer(text)]


Starts = list[tuple[int, str]]  # (index, folded form) of the capitalized tokens of a text


def capitalized(text: str, spans: list[tuple[int, int]]) -> Starts:
    """The capitalized tokens, where names may open (shareable between indexes)."""
    return [(i, fold(text[a:b])) for i, (a, b) in enumerate(spans) if text[a].isupper()]


def _gap_key(gap: str) -> str:
    """The folded form of what separates two tokens of a name."""
    if gap == " " or gap == "-":
        return gap  # by far the most common gaps: no regex needed
    return APOSTROPHES.sub("'", DASHES.sub("-", SPACES.sub(" ", gap)))


def _case_rule(token: str) -> int:
    """How a token of a listed name must be written in the text to match it."""
    if len(token) >= 2 and token.isupper():
        return EXACT  # acronyms: "US" must not match "us"
    return CAPITAL if token[:1].isupper() else ANY


def _case_fits(rules: tuple[int, ...], tokens: list[str]) -> bool:
    """Whether the text tokens are written as the listed name requires."""
    for rule, written in zip(rules, tokens, strict=True):
        if rule == EXACT and not written.isupper():
            return False
        if rule == CAPITAL and not written[:1].isupper():
            return False
    return True


class NameMatch(NamedTuple, Generic[T]):
    """A span of text that names one or more indexed values (best first).

    A named tuple: one is made for every name found in every sentence.
    """

    start: int
    end: int
    text: str
    values: tuple[T, ...]


def _key_of(text: str, spans: list[tuple[int, int]]) -> str | None:
    """The folded key of consecutive tokens, or None when a gap cannot be inside a name."""
    parts = [fold(text[spans[0][0] : spans[0][1]])]
    for (_, prev_end), (start, end) in itertools.pairwise(spans):
        gap = text[prev_end:start]
        if not GAP.fullmatch(gap):
            return None
        parts.append(_gap_key(gap))
        parts.append(fold(text[start:end]))
    return "".join(parts)


_WORD_MEMO_SIZE = 50_000
Listed = tuple[tuple[int, ...], T]  # the case rule of each token of a name, and its value


class NameIndex(Generic[T]):
    """Names (surface forms) of values, found in text by longest match, left to right."""

    def __init__(self, entries: Iterable[tuple[str, T]], *, capital_start: bool = True) -> None:
        self._capital_start = capital_start
        # key -> listed names, in the order given; packed keys are decoded on first use
        self._by_key: dict[str, list[Listed[T]]] = {}
        self._packed: dict[str, str] = {}
        self._decode: Callable[[str], T] | None = None
        self._multi: dict[str, list[int]] = {}  # first token -> token counts > 1, longest first
        # (word as written, accept) -> the values it names alone: a memo of `_match_at`
        self._words: dict[tuple[str, Callable[[T], bool] | None], tuple[T, ...]] = {}
        for surface, value in entries:
            if surface.isalpha():  # most names are one plain word: skip the tokenizer
                key = fold(surface)
                rules: tuple[int, ...] = (_case_rule(surface),)
            else:
                spans = [m.span() for m in TOKEN.finditer(surface)]
                found = _key_of(surface, spans) if spans else None
                if found is None:
                    continue
                key = found
                rules = tuple(_case_rule(surface[a:b]) for a, b in spans)
            self._by_key.setdefault(key, []).append((rules, value))
        self._count_tokens(self._by_key)

    @classmethod
    def packed(
        cls, lines: Iterable[str], decode: Callable[[str], T], *, capital_start: bool = True
    ) -> NameIndex[T]:
        """An index from the lines `pack` wrote; values are decoded when first matched."""
        index: NameIndex[T] = cls((), capital_start=capital_start)
        index._packed = dict(line.split("\t", 1) for line in lines if line)
        index._decode = decode
        index._count_tokens(index._packed)
        return index

    def pack(self, encode: Callable[[T], str]) -> list[str]:
        """The index as sorted lines: key, then TAB-separated `rules value` items."""
        lines = []
        for key, listed in self._by_key.items():
            items = (f"{''.join(map(str, rules))} {encode(value)}" for rules, value in listed)
            lines.append("\t".join([key, *dict.fromkeys(items)]))
        return sorted(lines)

    def _count_tokens(self, keys: Iterable[str]) -> None:
        """Record, by first token, the token counts of multi-token keys."""
        counts: dict[str, set[int]] = {}
        for key in keys:
            if not key.isalnum():
                tokens = TOKEN.findall(key)
                if len(tokens) > 1:
                    counts.setdefault(tokens[0], set()).add(len(tokens))
        for first, ns in counts.items():
            self._multi[first] = sorted(ns | set(self._multi.get(first, ())), reverse=True)

    def _listed(self, key: str) -> list[Listed[T]]:
        """The names listed under a key, decoding a packed entry once."""
        found = self._by_key.get(key)
        if found is None:
            raw = self._packed.get(key)
            if raw is None or self._decode is None:
                return []
            decode = self._decode
            found = []
            for item in raw.split("\t"):
                rules, value = item.split(" ", 1)
                found.append((tuple(int(c) for c in rules), decode(value)))
            self._by_key[key] = found
        return found

    def get(self, name: str) -> tuple[T, ...]:
        """The values listed under a name, whatever its case (empty if none)."""
        spans = [m.span() for m in TOKEN.finditer(name)]
        key = _key_of(name, spans) if spans else None
        if key is None:
            return ()
        return tuple(value for _, value in self._listed(key))

    def find(
        self,
        text: str,
        accept: Callable[[T], bool] | None = None,
        spans: list[tuple[int, int]] | None = None,
        starts: Starts | None = None,
    ) -> list[NameMatch[T]]:
        """Non-overlapping names in text, longest first, left to right; `accept` filters values.

        `spans` are the text's tokens from `tokens(text)`, and `starts` its capitalized
        tokens from `capitalized(text, spans)`, when the caller has them already.
        """
        if spans is None:
            spans = tokens(text)
        if not self._capital_start:
            starts = [(i, fold(text[a:b])) for i, (a, b) in enumerate(spans)]
        elif starts is None:
            starts = capitalized(text, spans)
        found: list[NameMatch[T]] = []
        resume = 0  # the first token after the last name found
        for i, first in starts:
            if i < resume:
                continue
            if first not in self._multi and first not in self._by_key and first not in self._packed:
                continue  # most capitalized words start no name at all
            match = self._match_at(text, spans, i, accept, first)
            if match is not None:
                if match[0] is not None:
                    found.append(match[0])
                resume = i + match[1]
        return found

    def _match_at(
        self,
        text: str,
        spans: list[tuple[int, int]],
        i: int,
        accept: Callable[[T], bool] | None,
        first: str,
    ) -> tuple[NameMatch[T] | None, int] | None:
        """The longest name starting at token i (whose folded form is `first`), or (None, n)
        when the longest is a name of n tokens that `accept` refuses: "New Mexico", kept
        from being found, is no "Mexico" either."""
        sizes = self._multi.get(first, ())
        # keys[n - 1]: the key of the n tokens from i, built once for every n; it stops
        # at the end of the text or at a gap that cannot be inside a name.
        keys = [first]
        if sizes:
            key, prev_end = first, spans[i][1]
            for start, end in spans[i + 1 : i + sizes[0]]:
                gap = text[prev_end:start]
                if gap != " " and not GAP.fullmatch(gap):
                    break
                key = key + _gap_key(gap) + fold(text[start:end])
                keys.append(key)
                prev_end = end
        for n in sizes:
            if n > len(keys):
                continue
            listed = self._listed(keys[n - 1])
            if not listed:
                continue
            window = spans[i : i + n]
            written = [text[a:b] for a, b in window]
            values = tuple(
                value
                for rules, value in listed
                if _case_fits(rules, written) and (accept is None or accept(value))
            )
            if values:
                start, end = window[0][0], window[-1][1]
                return NameMatch(start, end, text[start:end], values), n
            if n > 1 and any(_case_fits(rules, written) for rules, _ in listed):
                return None, n
        start, end = spans[i]
        word = text[start:end]
        known = self._words.get((word, accept))
        if known is not None:
            values = known
        else:
            # One token: what it names depends on the word as written alone, and the
            # same words recur in every report (country names, capitals).
            values = tuple(
                value
                for rules, value in self._listed(first)
                if _case_fits(rules, [word]) and (accept is None or accept(value))
            )
            if len(self._words) < _WORD_MEMO_SIZE:
                self._words[(word, accept)] = values
        return (NameMatch(start, end, word, values), 1) if values else None
