"""Analysts' corrections: a log that is appended to, never rewritten, and replayed on recompute.

`set` puts a value on a field; `merge` joins events and keeps them together
("must" links between their mentions); `split` moves mentions to a new event and
keeps the two groups apart ("cannot" links), whatever automatic resolution finds
later. Links name mentions by anchor, so they outlive re-extraction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from defcoop.errors import DefcoopError, UnknownEvent
from defcoop.iso_dates import PARTIAL_FORMAT, is_partial_date
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.resolve.events import (
    CORRECTABLE,
    EventRecord,
    check_status,
    check_type,
    corrected_fields,
)
from defcoop.store.events import current_id, recompute, record_from_row
from defcoop.store.resolution import alias, load_mentions, members_of, new_event_id
from defcoop.store.schema import corrections, events, mention_links, mentions


class BadCorrection(DefcoopError, ValueError):
    """A correction names an unknown field or gives a value the field cannot hold."""


def _iso_value(name: str, value: str) -> str:
    """A date of any precision (YYYY, YYYY-MM, YYYY-MM-DD) that exists, in ASCII digits."""
    if not is_partial_date(value):
        raise BadCorrection(f"{name}: {value!r} is not a date ({PARTIAL_FORMAT})")
    return value


def _participants(value: str, actors: ActorLexicon) -> list[str]:
    """Codes from a comma list of codes or names ("AZE, Turkey" -> AZE, TUR)."""
    codes: list[str] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        code = item.upper() if actors.name_of(item.upper()) else actors.lookup(item)
        if code is None:
            raise BadCorrection(f"participants: {item!r} is not a known country or alliance")
        codes.append(code)
    if not codes:
        raise BadCorrection("participants: give at least one code (AZE,TUR)")
    return sorted(dict.fromkeys(codes))


def _location(value: str, places: Gazetteer, actors: ActorLexicon) -> dict[str, object]:
    """A gazetteer place by name, or a country alone by its code."""
    if actors.name_of(value.upper()) and len(value) == 3:
        return {"name": None, "country": value.upper()}
    place = places.lookup(value)
    if place is None:
        raise BadCorrection(f"location: {value!r} is not in the gazetteer")
    return {
        "name": place.name,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "place_id": place.id,
    }


def parse_settings(
    pairs: Sequence[str], places: Gazetteer, actors: ActorLexicon
) -> dict[str, object]:
    """Field values from `FIELD=VALUE` pairs, checked; an empty value clears a field."""
    values: dict[str, object] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep or name not in CORRECTABLE:
            raise BadCorrection(
                f"{pair!r}: expected FIELD=VALUE, FIELD one of {', '.join(CORRECTABLE)}"
            )
        value: object
        if not raw and name not in ("type", "participants"):
            value = None
        elif name == "type":
            value = _checked(check_type, raw)
        elif name == "status":
            value = _checked(check_status, raw)
        elif name in ("start", "end"):
            value = _iso_value(name, raw)
        elif name == "participants":
            value = _participants(raw, actors)
        elif name == "location":
            value = _location(raw, places, actors)
        else:
            value = raw
        values[name] = value
    start, end = values.get("start"), values.get("end")
    if isinstance(start, str) and isinstance(end, str) and end[: len(start)] < start[: len(end)]:
        raise BadCorrection(f"end {end} is before start {start}")
    return values


def _checked(check: object, raw: str) -> str:
    """A value passed through a checker that raises ValueError."""
    try:
        return str(check(raw))  # type: ignore[operator]
    except ValueError as exc:
        raise BadCorrection(str(exc)) from None


def log_correction(
    connection: Connection, ident: str, action: str, payload: object, who: str, why: str
) -> int:
    """Append one entry to the corrections log (set, revert, merge, split, replace); its id."""
    result = connection.execute(
        insert(corrections).values(
            event_id=ident,
            action=action,
            payload=json.dumps(payload, sort_keys=True),
            who=who,
            at=datetime.now(UTC),
            why=why,
        )
    )
    key = result.inserted_primary_key
    return int(key[0]) if key else 0


def _live(connection: Connection, ident: str) -> str:
    """The live event an id names, or UnknownEvent."""
    found = current_id(connection, ident)
    if found is None:
        raise UnknownEvent(f"no event {ident!r} in the store")
    return found


def revert_fields(names: Sequence[str]) -> list[str]:
    """Fields to return to the machine's values, checked."""
    fields = list(dict.fromkeys(name.strip() for name in names))
    for name in fields:
        if name not in CORRECTABLE:
            raise BadCorrection(f"--revert {name!r}: FIELD is one of {', '.join(CORRECTABLE)}")
    return fields


def correct(
    connection: Connection,
    ident: str,
    values: dict[str, object],
    who: str,
    why: str,
    revert: Sequence[str] = (),
) -> str:
    """Log field values (and fields to revert) for an event and recompute it; the live id.

    A reverted field must hold an analyst's value; a field both set and reverted,
    or a result whose end comes before its start, is refused (BadCorrection) and
    nothing is logged.
    """
    live = _live(connection, ident)
    if not values and not revert:
        raise BadCorrection("nothing to change: give --set FIELD=VALUE or --revert FIELD")
    both = sorted(set(values) & set(revert))
    if both:
        raise BadCorrection(f"{', '.join(both)}: set and reverted at once")
    record = _record(connection, live)
    held = corrected_fields(record)
    for name in revert:
        if name not in held:
            raise BadCorrection(f"{name}: holds no analyst value to revert")
    if revert:
        log_correction(connection, live, "revert", {"revert": list(revert)}, who, why)
    if values:
        log_correction(connection, live, "set", values, who, why)
    recompute(connection, [live])
    after = _record(connection, live)
    start, end = after.start, after.end
    if start and end and end[: len(start)] < start[: len(end)]:
        raise BadCorrection(f"end {end} would come before start {start}")
    return live


def _record(connection: Connection, ident: str) -> EventRecord:
    """The stored record of a live event."""
    row = connection.execute(select(events).where(events.c.event_id == ident)).first()
    if row is None:
        raise UnknownEvent(f"no event {ident!r} in the store")
    return record_from_row(dict(row._mapping))


def _link(connection: Connection, pairs: Iterable[tuple[str, str]], kind: str) -> None:
    """Store analysts' links between anchors (each pair once, in sorted order)."""
    rows = [{"a": a, "b": b, "kind": kind} for a, b in sorted({tuple(sorted(p)) for p in pairs})]
    rows = [r for r in rows if r["a"] != r["b"]]
    if rows:
        connection.execute(insert(mention_links), rows)


def _unlink(connection: Connection, ours: set[str], theirs: set[str], kind: str) -> None:
    """Drop the links of one kind between two groups of anchors."""
    for x in ours:
        connection.execute(
            delete(mention_links).where(
                mention_links.c.kind == kind,
                or_(
                    and_(mention_links.c.a == x, mention_links.c.b.in_(theirs)),
                    and_(mention_links.c.b == x, mention_links.c.a.in_(theirs)),
                ),
            )
        )


def merge(connection: Connection, idents: Sequence[str], who: str, why: str) -> str:
    """Merge the events into the first; they stay together from then on. The kept id."""
    live = [_live(connection, i) for i in idents]
    into, others = live[0], [i for i in dict.fromkeys(live[1:]) if i != live[0]]
    if not others:
        raise BadCorrection("give at least two different events to merge")
    members = members_of(connection, [into, *others])
    anchors = {a for _, a in members.values()}
    lead = min((i for i, (ev, _) in members.items() if ev == into), default=None)
    hub = members[lead][1] if lead is not None else min(anchors)
    for other in others:
        theirs = {a for ev, a in members.values() if ev == other}
        _unlink(connection, anchors - theirs, theirs, "cannot")
        connection.execute(
            update(mentions).where(mentions.c.event_id == other).values(event_id=into)
        )
        alias(connection, other, into)
    _link(connection, ((hub, a) for a in anchors), "must")
    log_correction(connection, into, "merge", {"merged": others}, who, why)
    recompute(connection, [into], others)
    return into


def keep_apart(connection: Connection, idents: Sequence[str], who: str, why: str) -> str:
    """Record that events are not one: automatic resolution never joins them. The first id.

    Their mentions get "cannot" links to each other's, so a near-duplicate pair an
    analyst dismissed leaves the review queue and stays apart as reports arrive.
    """
    live = [_live(connection, i) for i in idents]
    first, others = live[0], [i for i in dict.fromkeys(live[1:]) if i != live[0]]
    if not others:
        raise BadCorrection("give at least two different events to keep apart")
    members = members_of(connection, [first, *others])
    groups = [{a for ev, a in members.values() if ev == ident} for ident in [first, *others]]
    pairs = [(x, y) for i, ours in enumerate(groups) for theirs in groups[i + 1 :]
             for x in ours for y in theirs]  # fmt: skip
    _link(connection, pairs, "cannot")
    log_correction(connection, first, "apart", {"apart": others}, who, why)
    for other in others:
        log_correction(connection, other, "apart", {"apart": [first]}, who, why)
    return first


def split(
    connection: Connection, ident: str, mention_ids: Sequence[int], who: str, why: str
) -> str:
    """Move some mentions of an event to a new event, kept apart from the rest. The new id."""
    live = _live(connection, ident)
    members = members_of(connection, [live])
    moving = sorted(set(mention_ids))
    strangers = [i for i in moving if i not in members]
    if strangers:
        raise BadCorrection(f"mentions {strangers} are not in event {live}")
    if not moving or len(moving) == len(members):
        raise BadCorrection("split needs some but not all of the event's mentions")
    lead = load_mentions(connection, [moving[0]], with_evidence=True)[moving[0]]
    fresh = new_event_id(connection, lead, {live})
    connection.execute(update(mentions).where(mentions.c.id.in_(moving)).values(event_id=fresh))
    ours = {members[i][1] for i in moving}
    theirs = {a for i, (_, a) in members.items() if i not in moving} - ours
    _unlink(connection, ours, theirs, "must")
    _link(connection, ((x, y) for x in ours for y in theirs), "cannot")
    log_correction(connection, live, "split", {"mentions": moving, "new_event": fresh}, who, why)
    log_correction(connection, fresh, "split", {"mentions": moving, "from_event": live}, who, why)
    recompute(connection, [live, fresh])
    return fresh
