"""Give every mention the id of the real event behind it, the same across reports.

Named events are keyed by type, name and year ("efes-2022"); unnamed ones by
type, partners and the month they happened in. The key depends on the mention
alone, so ids agree whether reports come one by one or all at once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from defcoop.extract.names import name_key
from defcoop.records import Mention

_YEAR = re.compile(r"(?:19|20)\d\d")


def _year(mention: Mention) -> str:
    """The year the event belongs to: its name's, else its start's, else the report's."""
    if mention.name:
        found = _YEAR.findall(mention.name)
        if found:
            return str(found[-1])
    if mention.start:
        return mention.start[:4]
    return str(mention.published.year) if mention.published else ""


def event_key(mention: Mention) -> str:
    """The matching key of the real event a mention stands for."""
    year = _year(mention)
    if mention.name:
        base = _YEAR.sub("", mention.name)
        base = re.sub(r"\s*[-–—]\s*\d\d$", "", base)
        return f"{mention.type}|{name_key(base)}|{year}"
    when = mention.start[:7] if mention.start else year
    if mention.type in ("exercise", "training") and mention.start:
        when = mention.start[:7]
    partners = "-".join(sorted(mention.participants))
    return f"{mention.type}|{partners}|{when}"


def event_id(mention: Mention, anchor: str = "") -> str:
    """A short id: a readable slug of the event key and a digest of key and anchor.

    The anchor (the report and sentence an event was first seen in) keeps apart
    two events whose keys happen to agree.
    """
    key = event_key(mention)
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:48]
    digest = hashlib.sha1(f"{key}#{anchor}".encode()).hexdigest()[:8]
    return f"{slug}-{digest}"


def with_event_id(mention: Mention) -> Mention:
    """The mention with its event id set (an analyst's id, once set, is kept)."""
    if mention.event_id:
        return mention
    return replace(mention, event_id=event_id(mention))
