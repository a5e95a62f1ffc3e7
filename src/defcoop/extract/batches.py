"""Deliveries listed with their dates are one transfer each.

"Egypt received the frigate in June 2015, three jets as the first batch in July
2015 and another three in January 2016": three deliveries, each on its own date,
each its own event.
"""

from __future__ import annotations

import re
from dataclasses import replace

from defcoop.extract.facts import SentenceFacts
from defcoop.extract.transfer_cues import EQUIPMENT
from defcoop.extract.triggers import SIGN_VERB
from defcoop.records import Mention

# What a stretch of the list must name for its date to be a delivery of its own.
_ITEM = re.compile(r"\b(?:batch|first|second|third|another|more|remaining|rest)\b")


def split_batches(mention: Mention, opener: SentenceFacts) -> list[Mention]:
    """One transfer per dated item the opening sentence lists, else the mention."""
    if mention.type != "transfer":
        return [mention]
    text = opener.sentence.text
    points = [d for d in opener.dates if d.role == "point" and d.first]
    if len(points) < 2 or len({d.first for d in points}) < len(points):
        return [mention]
    starts: list[str] = []
    previous_end = 0
    for span in points:
        stretch = text[previous_end : span.start].lower()
        if SIGN_VERB.search(stretch) or not (EQUIPMENT.search(stretch) or _ITEM.search(stretch)):
            return [mention]  # "the deal signed in 2015": not an item of the list
        starts.append(span.first or "")
        previous_end = span.end
    return [replace(mention, start=start) for start in starts]
