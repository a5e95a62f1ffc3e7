"""Choosing each field of a canonical event from what its mentions state, and their conflicts.

The rules, in the order they apply:

1. Only a mention's own values count (see `resolve.statements`): a date from a
   sentence about another event is set aside.
2. The best evidence decides: a report about the event over a restatement or a
   look back; for dates, also a sentence that dates the event over the report's
   own date, and a report of the event happening over an announcement of it.
3. Among the best evidence, the value most of it agrees with; a more precise
   value wins only when it agrees with the others ("2022-05-09" over "2022-05",
   not over "2022-06-01"). A more precise date stated by weaker evidence refines
   the choice only when it agrees with everything that refines it.
4. Ties go to the earliest report, so the choice does not depend on input order.

Values that cannot all be true of one event (two days, two countries, two
partner sets neither of which contains the other) are conflicts: the record
keeps them, with their mentions, for an analyst to settle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from defcoop.records import Location
from defcoop.resolve.matching import names_agree
from defcoop.resolve.statements import Statement

V = TypeVar("V", bound=Hashable)
Choice = tuple[object, str] | None  # the value and the mention it came from
ConflictValues = list[dict[str, object]]


def precision(value: str | None) -> int:
    """0 without a date, 1 a year, 2 a month, 3 a day."""
    return 0 if not value else value.count("-") + 1


def compatible(a: str, b: str) -> bool:
    """Whether two dates of any precision can be the same day ("2022" and "2022-05-09")."""
    return a.startswith(b) or b.startswith(a)


def place_rank(location: Location | None) -> int:
    """How specific a location is: 3 a named site, 2 a region, 1 a country, 0 none."""
    if location is None or (location.name is None and location.country is None):
        return 0
    if location.name is None or location.name == location.country:
        return 1
    if location.place_id is None or location.place_id.startswith(("iso3166-2:", "country")):
        return 2
    return 3


def _first(values: Sequence[tuple[Statement, V]], wanted: V) -> str:
    """The source of the earliest statement giving a value (statements are chronological)."""
    return next(st.source for st, v in values if v == wanted)


def _most_common(values: Sequence[tuple[Statement, V]], key: Callable[[V], object]) -> V:
    """The value ranked highest by `key`, then most often given, then given first."""
    counted = Counter(v for _, v in values)
    order = {v: i for i, (_, v) in reversed(list(enumerate(values)))}
    return max(counted, key=lambda v: (key(v), counted[v], -order[v]))


def choose_date(statements: Sequence[Statement], field: str) -> Choice:
    """The start or end the best evidence agrees on, refined where all agree."""
    values = [(st, v) for st in statements if (v := getattr(st.mention, field)) is not None]
    if not values:
        return None
    best = max(st.date_rank() for st, _ in values)
    group = [(st, v) for st, v in values if st.date_rank() == best]

    def agreement(v: str) -> tuple[int, int]:
        return sum(compatible(v, w) for _, w in group), precision(v)

    chosen = _most_common(group, agreement)
    finer = [(st, v) for st, v in values if not st.dated_by_report and v != chosen]
    finer = [(st, v) for st, v in finer if v.startswith(chosen)]
    for _, v in sorted(finer, key=lambda p: -precision(p[1])):
        if all(compatible(v, w) for _, w in finer):
            return v, _first(finer, v)
    return chosen, _first(group, chosen)


def choose_location(statements: Sequence[Statement]) -> Choice:
    """The most specific place in the country the best evidence names most."""
    values = [(st, st.mention.location) for st in statements if place_rank(st.mention.location)]
    if not values:
        return None
    best = max(st.rank() for st, _ in values)
    countries = [(st, loc.country) for st, loc in values if st.rank() == best and loc]
    known = [(st, c) for st, c in countries if c is not None]
    country = _most_common(known, lambda _: 0) if known else None
    agreeing = [(st, loc) for st, loc in values if loc and loc.country in (country, None)]
    chosen = _most_common(agreeing, lambda loc: (place_rank(loc), 0))
    return chosen, _first(agreeing, chosen)


def choose_name(statements: Sequence[Statement]) -> Choice:
    """The name the best evidence gives most often."""
    values = [(st, st.mention.name) for st in statements if st.mention.name]
    if not values:
        return None
    best = max(st.rank() for st, _ in values)
    group = [(st, v) for st, v in values if st.rank() == best]
    chosen = _most_common(group, lambda _: 0)
    return chosen, _first(group, chosen)


def _listed(
    values: Sequence[tuple[Statement, object]], shown: Callable[[object], object]
) -> ConflictValues:
    """Each distinct value with the mentions giving it, most given first."""
    sources: dict[object, list[str]] = {}
    for st, v in values:
        sources.setdefault(shown(v), []).append(st.source)
    ranked = sorted(sources.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))
    return [{"value": value, "mentions": found} for value, found in ranked]


def _place_text(location: object) -> object:
    """A place as a conflict lists it: its name, else its country."""
    assert isinstance(location, Location)
    return location.name or location.country


def _codes_text(codes: object) -> object:
    """A set of participants as a conflict lists it: "AZE, TUR"."""
    assert isinstance(codes, frozenset)
    return ", ".join(sorted(str(c) for c in codes))


def conflicts(statements: Sequence[Statement]) -> dict[str, ConflictValues]:
    """The fields whose values cannot all be true of one event, with who says what."""
    found: dict[str, ConflictValues] = {}
    for field in ("start", "end"):
        stated = [(st, getattr(st.mention, field)) for st in statements if not st.dated_by_report]
        values = [(st, v) for st, v in stated if v is not None]
        if any(not compatible(a, b) for _, a in values for _, b in values):
            found[field] = _listed(values, str)
    places = [(st, st.mention.location) for st in statements if place_rank(st.mention.location)]
    countries = {loc.country for _, loc in places if loc and loc.country}
    sites = {loc.place_id for _, loc in places if loc and place_rank(loc) == 3}
    if len(countries) > 1 or len(sites) > 1:
        found["location"] = _listed(places, _place_text)
    names = [(st, st.mention.name) for st in statements if st.mention.name]
    if any(not names_agree(str(a), str(b)) for _, a in names for _, b in names):
        found["name"] = _listed(names, str)
    sets = [(st, frozenset(st.mention.participants)) for st in statements]
    sets = [(st, s) for st, s in sets if s]
    if any(not (a <= b or b <= a) for _, a in sets for _, b in sets):
        found["participants"] = _listed(sets, _codes_text)
    return found
