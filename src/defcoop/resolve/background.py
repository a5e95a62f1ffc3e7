"""Background paragraphs: facts a source restates, word for word, in report after report.

"On March 3, the two ministries signed a protocol" in a report of 2023 is the
signing of 2022-03-03 when a report of 2022 first told it: the earliest report
that carries the same sentence dates it right, later ones only repeat it. A
sentence is recognised by a fingerprint of its words (case, spacing and
punctuation aside), so the same paragraph split or wrapped differently still
matches sentence by sentence.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from defcoop.records import Mention

_WORD = re.compile(r"\w+")
_MIN_WORDS = 8  # shorter sentences ("The drills ended.") recur by chance


def fingerprint(sentence: str) -> str | None:
    """A digest of a sentence's words, or None when it is too short to tell a paragraph."""
    words = _WORD.findall(unicodedata.normalize("NFKC", sentence).lower())
    if len(words) < _MIN_WORDS:
        return None
    return hashlib.sha1(" ".join(words).encode()).hexdigest()[:20]


def mention_fingerprints(mention: Mention) -> tuple[str, ...]:
    """Fingerprints of a mention's evidence sentences (those long enough)."""
    found = (fingerprint(e.text) for e in mention.evidence)
    return tuple(dict.fromkeys(f for f in found if f))


def _first_told(candidates: list[Mention]) -> Mention:
    """The mention from the earliest report; ties broken by report id."""
    return min(candidates, key=lambda m: (m.published or date.max, m.doc))


def restate(mention: Mention, earlier: Mention) -> Mention:
    """A later restatement of `earlier`: its dates are the first report's, marked background."""
    return replace(
        mention,
        start=earlier.start or mention.start,
        end=earlier.end or mention.end,
        status=earlier.status if earlier.start else mention.status,
        background=True,
    )


def restate_dates(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions in order, with restated background facts dated as first reported.

    Two mentions of one type that share an evidence sentence are one fact told
    twice; every mention takes the dates of the earliest report of the fact.
    The result does not depend on the order of the input.
    """
    items = list(mentions)
    by_print = _by_print(items)
    return [_dated(items, by_print, index) for index in range(len(items))]


def restate_first(mentions: Iterable[Mention]) -> Mention:
    """`restate_dates(mentions)[0]`, without dating the others (a fact told k times costs k)."""
    items = list(mentions)
    return _dated(items, _by_print(items), 0)


def _by_print(items: list[Mention]) -> dict[tuple[str, str], list[int]]:
    """(type, sentence print) -> the indexes of the mentions carrying it."""
    by_print: dict[tuple[str, str], list[int]] = {}
    for index, mention in enumerate(items):
        for mark in mention_fingerprints(mention):
            by_print.setdefault((mention.type, mark), []).append(index)
    return by_print


def _dated(items: list[Mention], by_print: dict[tuple[str, str], list[int]], index: int) -> Mention:
    """The mention at `index`, dated as the earliest report of a fact it restates tells it."""
    mention = items[index]
    sharing = {
        other
        for mark in mention_fingerprints(mention)
        for other in by_print[(mention.type, mark)]
        if items[other].doc != mention.doc
    }
    if not sharing:
        return mention
    first = _first_told([items[i] for i in sharing] + [mention])
    if first is not mention and (first.published or date.max) < (mention.published or date.max):
        return restate(mention, first)
    return mention
