"""Sentence splitting with offsets into the report text.

A regular-expression splitter rather than spaCy's sentencizer: news prose is full
of abbreviations ("Col-Gen.", "Sept. 7", "U.S.") that the sentencizer breaks on,
and splitting is on the hot path of every report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from defcoop.records import Sentence

# Tokens ending in "." that do not end a sentence when followed by a capital.
ABBREVIATIONS = frozenset(
    """
    adm brig capt cmdr col cpl dr gen gov hon jr lt maj messrs mr mrs ms mt no nos pres
    prof rep rev sen sgt sr st vs etc inc ltd co corp dept est fig approx ft
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    """.split()
)

_PARAGRAPH = re.compile(r"[^\n]+")
# A candidate boundary: end punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.\-]*)\.$")


_WORD_CHAR = re.compile(r"[A-Za-z.\-]")
_TAIL = 32


def _is_abbreviation(chunk: str) -> bool:
    """Whether the text before a full stop ends in an abbreviation or an initial."""
    # Only the run of word characters the chunk ends with can match: search its tail,
    # the whole chunk only when that run reaches further back.
    start = max(0, len(chunk) - _TAIL)
    if start and _WORD_CHAR.match(chunk, start - 1):
        start = 0
    match = _LAST_WORD.search(chunk, start)
    if not match:
        return False
    word = match.group(1)
    last = word.rsplit("-", 1)[-1].rsplit(".", 1)[-1].lower()
    if len(last) == 1:  # an initial ("J. Smith") or "U.S."
        return True
    return last in ABBREVIATIONS or "." in word  # "U.S", "a.m"


# A line that goes on in the next: it ends with no closing punctuation (a hard-wrapped
# text, "... training at Romania's"), or with an abbreviation's stop ("began on Sept.").
_OPEN_END = re.compile(r"(?:[^.!?:;\"'”’)\]\s]|\b[A-Za-z]{2,5}\.)\s*$")
# The next line continues a sentence: it opens in lower case, or with "7," of a date.
_CONTINUED = re.compile(r"[a-z]|\d{1,2},")
_OPEN_END_REACH = 8  # longer than any match of `_OPEN_END` on a line without end spaces


def _blocks(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, number) of each paragraph, lines broken inside a sentence joined."""
    block: list[int] | None = None
    for number, para in enumerate(_PARAGRAPH.finditer(text)):
        body = para.group()
        if block is not None:
            # The cheap test first: most lines open with a capital, and end a sentence.
            if _CONTINUED.match(body.lstrip()):
                previous = text[block[0] : block[1]].rstrip()
                # `_OPEN_END` can only match the last few characters of the stripped line.
                start = max(0, len(previous) - _OPEN_END_REACH)
                opened = _OPEN_END.search(previous, start) is not None
                if opened and (not previous.endswith(".") or _is_abbreviation(previous)):
                    block[1] = para.end()
                    continue
            yield block[0], block[1], block[2]
        block = [para.start(), para.end(), number]
    if block is not None:
        yield block[0], block[1], block[2]


# How far a name in guillemets may run on after a full stop inside it.
_GUILLEMET_REACH = 40


def _inside_guillemets(body: str, cursor: int, end: int) -> bool:
    """Whether a stop falls inside a short «...» name that closes soon after it."""
    opening = body.rfind("«", cursor, end)
    if opening < 0 or body.rfind("»", opening, end) >= 0:
        return False
    return body.find("»", end, end + _GUILLEMET_REACH) >= 0


def split_sentences(text: str) -> list[Sentence]:
    """Split a report into sentences; paragraphs (lines) share a sentence only where a
    line breaks one off mid-way."""
    sentences: list[Sentence] = []
    for start, end, number in _blocks(text):
        base = start
        body = text[start:end]
        cursor = 0
        for boundary in _BOUNDARY.finditer(body):
            end = boundary.end()
            single_stop = body[boundary.start()] == "." and end - boundary.start() == 1
            if single_stop and _is_abbreviation(body[cursor : boundary.start() + 1]):
                continue
            if _inside_guillemets(body, cursor, end):
                continue  # «Interaction. Search. Echelon»: one name
            _append(sentences, text, base + cursor, base + end, number)
            cursor = end
        _append(sentences, text, base + cursor, base + len(body), number)
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    """Add the stripped span [start, end) as a sentence if it holds any word."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= 2 and any(ch.isalnum() for ch in text[start:end]):
        out.append(Sentence(start=start, end=end, text=text[start:end], paragraph=paragraph))
