"""Series: the editions of one named exercise or course, counted over the years.

"TurAz Falcon - 2021" and "TurAz Falcon 2022" are editions of TurAz Falcon;
"113th Term Static Parachute Basic Course" is a term of the Static Parachute
Basic Course; "ATATURK-XI 2021" an edition of Ataturk. A series is named by
what is left of the name once the year, the edition number and the term are
taken off, and keyed by that name's comparable form. Only exercises and
training courses come in series: a named agreement is one act.
"""

from __future__ import annotations

import re

from defcoop.extract.names import name_key

SERIES_TYPES = ("exercise", "training")
_MIN_KEY = 3

_YEAR = r"(?:19|20)\d\d"
# A year may be glued to the name ("SHAKTI2021"); an edition number or numeral may not.
_EDITION = re.compile(
    rf"(?:[\s\-–—/]*{_YEAR}|[\s\-–—/]+(?:'?\d{{1,3}}(?:st|nd|rd|th)?|[IVXL]{{1,6}}))+$"
)
# Words that say what kind of event it is, not which series ("Joint Military Exercise").
_GENERIC_LEAD = re.compile(
    r"^(?:(?:joint|military|exercises?|drills?|combined|bilateral|trilateral|multinational"
    r"|annual|tactical|special|large-scale|naval|field)\s+)+",
    re.IGNORECASE,
)
_TERM = re.compile(
    r"^(?:the\s+)?(?:\d{1,4}(?:st|nd|rd|th)?|[IVXL]{1,6})[\s\-–—]*(?:term|edition|session|round)?\b[\s\-–—]*",
    re.IGNORECASE,
)
_YEAR_INSIDE = re.compile(rf"\b{_YEAR}\b")


def series_name(name: str) -> str:
    """The series part of an edition's name: "TurAz Falcon - 2021" -> "TurAz Falcon"."""
    text = _TERM.sub("", name.strip())
    text = _EDITION.sub("", text)
    rest = _GENERIC_LEAD.sub("", text)
    text = rest if len(name_key(rest)) >= _MIN_KEY else text
    text = _YEAR_INSIDE.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip(" -–—/")


def series_of(kind: str, name: str | None) -> tuple[str, str] | None:
    """The series key and display name of an event, or None when it has none."""
    if kind not in SERIES_TYPES or not name:
        return None
    shown = series_name(name)
    key = name_key(shown)
    if len(key) < _MIN_KEY or key.isdigit():
        return None
    return key, shown
