"""Filter values checked before a query: a mistyped filter is an error, not "0 events"."""

from __future__ import annotations

from defcoop.errors import DefcoopError
from defcoop.nlp.actors import ActorLexicon
from defcoop.records import EVENT_TYPES


class BadFilter(DefcoopError, ValueError):
    """A filter value that names nothing the store can hold."""


def event_type(value: str) -> str:
    """An event type, any case; BadFilter naming the valid ones."""
    kind = value.strip().lower()
    if kind not in EVENT_TYPES:
        raise BadFilter(f"--type {value!r}: not an event type; use one of {', '.join(EVENT_TYPES)}")
    return kind


def participant_code(value: str, actors: ActorLexicon) -> str:
    """The code of a country or alliance given by code or by a name the lexicon knows.

    "aze", "AZE" and "Azerbaijan" give AZE; "NATO" gives NATO. Anything else is a
    BadFilter saying what is accepted.
    """
    text = value.strip()
    if actors.name_of(text.upper()):
        return text.upper()
    code = actors.lookup(text)
    if code is not None:
        return code
    raise BadFilter(
        f"--country {value!r}: not a known country or alliance; give an ISO 3166-1 alpha-3"
        " code (AZE), an alliance acronym (NATO) or a country name (Azerbaijan)"
    )
