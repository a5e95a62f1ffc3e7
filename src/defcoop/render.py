"""Output shapes of the CLI: tables, flat CSV rows, GeoJSON, the dyad-year panel, event detail."""

from __future__ import annotations

import csv
import importlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import IO, Any

from rich.table import Table

from defcoop.nlp.dates import as_date
from defcoop.records import EVENT_TYPES, Mention
from defcoop.resolve.events import EventRecord

DYAD_COLUMNS = ("country_a", "country_b", "year", *EVENT_TYPES)


def mention_table(mentions: Sequence[Mention]) -> Table:
    """A readable table of mentions."""
    table = Table(show_lines=False)
    for column in ("report", "type", "name", "participants", "place", "start", "end", "status"):
        table.add_column(column)
    for m in mentions:
        place = m.location.name or m.location.country if m.location else None
        table.add_row(
            m.doc,
            m.type,
            m.name or "",
            ", ".join(m.participants),
            place or "",
            m.start or "",
            m.end or "",
            m.status or "",
        )
    return table


def event_table(events: Sequence[EventRecord], today: date | None = None) -> Table:
    """A readable table of canonical events; a status whose dates passed says so."""
    today = today or date.today()
    table = Table()
    for column in ("event", "type", "name", "participants", "place", "start", "end", "status"):
        table.add_column(column)
    table.add_column("reports", justify="right")
    table.add_column("conflicts")
    for e in events:
        place = e.location.name or e.location.country if e.location else None
        status = e.status or ""
        if overdue(e, today):
            status += " (dates passed)"
        table.add_row(
            e.event_id,
            e.type,
            e.name or "",
            ", ".join(e.participants),
            place or "",
            e.start or "",
            e.end or "",
            status,
            str(e.reports),
            ", ".join(sorted(e.conflicts)),
        )
    return table


def series_table(found: Sequence[Any]) -> Table:
    """A readable table of series (`store.series.Series`)."""
    table = Table()
    for column in ("series", "name", "type", "editions", "years", "participants", "reports"):
        table.add_column(column)
    for series in found:
        row = series.summary()
        years = f"{row['first_year'] or ''}–{row['last_year'] or ''}"
        table.add_row(
            row["key"],
            row["name"],
            row["type"],
            str(row["editions"]),
            years,
            ", ".join(row["participants"]),
            str(row["reports"]),
        )
    return table


def edition_table(series: Any) -> Table:
    """The editions of one series, earliest first."""
    table = Table(title=f"{series.name} ({series.key})")
    for column in ("year", "event", "name", "start", "end", "place", "participants", "reports"):
        table.add_column(column)
    for e in series.editions:
        place = e.location.name or e.location.country if e.location else None
        table.add_row(
            (e.start or e.end or "")[:4],
            e.event_id,
            e.name or "",
            e.start or "",
            e.end or "",
            place or "",
            ", ".join(e.participants),
            str(e.reports),
        )
    return table


def review_table(items: Sequence[Any]) -> Table:
    """A readable table of review items (`store.review.ReviewItem`)."""
    table = Table()
    for column in ("kind", "events", "name", "reports", "why"):
        table.add_column(column)
    for item in items:
        table.add_row(
            item.kind,
            "\n".join(e.event_id for e in item.events),
            "\n".join(e.name or e.type for e in item.events),
            str(item.reports),
            "; ".join(item.reasons),
        )
    return table


def error_table(errors: Sequence[Mapping[str, object]]) -> Table:
    """A readable table of recorded input errors."""
    table = Table()
    for column in ("when", "input", "reason"):
        table.add_column(column)
    for item in errors:
        table.add_row(str(item["at"]), str(item["source"]), str(item["reason"]))
    return table


def flat_row(row: Mapping[str, object]) -> dict[str, object]:
    """A JSON row for CSV or Parquet: lists joined with ';', nested objects flattened."""
    item: dict[str, object] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                item[f"{key}_{sub}"] = inner
        elif isinstance(value, list):
            item[key] = ";".join(str(v) for v in value)
        else:
            item[key] = value
    return item


def event_columns(rows: Iterable[Mapping[str, object]]) -> list[str]:
    """Every column of flat rows, in first-seen order; a location always has its four."""
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    if "location" in columns or any(c.startswith("location_") for c in columns):
        columns = [c for c in columns if c != "location" and not c.startswith("location_")]
        columns += ["location_name", "location_country", "location_lat", "location_lon"]
    return columns


def write_csv(rows: Sequence[Mapping[str, object]], stream: IO[str]) -> None:
    """Rows as CSV: lists joined with ';', places flattened into columns."""
    flat = [flat_row(row) for row in rows]
    writer = csv.DictWriter(stream, fieldnames=event_columns(flat), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(flat)


def geojson(events: Iterable[EventRecord]) -> dict[str, Any]:
    """A FeatureCollection of points for the events whose place has coordinates."""
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(e.location.lon, 5), round(e.location.lat, 5)],
            },
            "properties": {
                "event_id": e.event_id,
                "type": e.type,
                "name": e.name,
                "start": e.start,
                "end": e.end,
                "participants": list(e.participants),
                "place": e.location.name,
                "series": e.series,
            },
        }
        for e in events
        if e.location is not None and e.location.lat is not None and e.location.lon is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def _is_country(code: str) -> bool:
    """ISO 3166-1 alpha-3 codes are three capitals; alliances are acronyms of other lengths."""
    return len(code) == 3 and code.isalpha() and code.isupper()


def dyad_years(events: Iterable[EventRecord]) -> list[dict[str, object]]:
    """Events per unordered country pair, start year and type (a < b; alliances left out).

    An event known only by its end counts in the year it ended; one without any date
    is left out.
    """
    counts: Counter[tuple[str, str, int, str]] = Counter()
    for e in events:
        when = e.start or e.end
        if not when:
            continue
        year = int(when[:4])
        countries = sorted({c for c in e.participants if _is_country(c)})
        for a, b in combinations(countries, 2):
            counts[(a, b, year, e.type)] += 1
    pairs = sorted({(a, b, year) for a, b, year, _ in counts})
    return [
        {
            "country_a": a,
            "country_b": b,
            "year": year,
            **{kind: counts[(a, b, year, kind)] for kind in EVENT_TYPES},
        }
        for a, b, year in pairs
    ]


def event_detail(
    record: EventRecord,
    mentions: Sequence[tuple[int, Mention]],
    history: Sequence[Mapping[str, object]],
) -> dict[str, object]:
    """An event for `show --format json`: its fields, their sources, mentions and history."""
    return {
        **record.as_json(),
        "status_note": status_note(record, date.today()),
        "conflicts": {name: list(values) for name, values in sorted(record.conflicts.items())},
        "set_aside": list(record.set_aside),
        "mention_count": record.mentions,
        "support": dict(record.support),
        "provenance": dict(record.provenance),
        "mentions": [
            {
                "mention_id": mention_id,
                "report": m.doc,
                "published": m.published.isoformat() if m.published else None,
                "background": m.background,
                "start": m.start,
                "end": m.end,
                "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in m.evidence],
            }
            for mention_id, m in mentions
        ],
        "history": list(history),
    }


def status_note(record: EventRecord, today: date) -> str | None:
    """The status as of its report, and whether its dates passed with no later report."""
    if record.status is None:
        return None
    as_of = record.status_as_of.isoformat() if record.status_as_of else "an undated report"
    note = f"{record.status}, as of the report of {as_of}"
    if overdue(record, today):
        due = as_date(record.end or record.start, last=True)
        assert due is not None
        note += f"; its dates have passed ({due.isoformat()}) with no later report"
    return note


def overdue(record: EventRecord, today: date) -> bool:
    """Whether an event told as planned or under way has dates that are all past."""
    if record.status not in ("planned", "ongoing"):
        return False
    due = as_date(record.end or record.start, last=True)
    return due is not None and due < today


def event_text(detail: Mapping[str, Any]) -> str:
    """A plain-text rendering of `event_detail`, for reading in a terminal."""
    source = detail["provenance"]
    lines = [f"event {detail['event_id']}"]
    loc = detail["location"]
    place = ", ".join(str(v) for v in (loc or {}).values() if v is not None) if loc else None
    fields: list[tuple[str, object]] = [
        ("type", detail["type"]),
        ("name", detail["name"]),
        ("participants", ", ".join(detail["participants"])),
        ("support", ", ".join(f"{c} {n}" for c, n in detail["support"].items())),
        ("location", place),
        ("start", detail["start"]),
        ("end", detail["end"]),
        ("status", detail["status"]),
    ]
    for name, value in fields:
        origin = source.get(name)
        note = f"   [{origin}]" if origin else ""
        lines.append(f"  {name:<13}{value if value not in (None, '') else '-'}{note}")
    lines.append(
        f"  reports      {detail['reports']} ({detail['first_report']} .. {detail['last_report']})"
    )
    if detail.get("status_note"):
        lines.append(f"  status note  {detail['status_note']}")
    if detail.get("series"):
        lines.append(f"  series       {detail['series']}")
    for name, values in detail.get("conflicts", {}).items():
        told = "; ".join(f"{v['value']} ({', '.join(v['mentions'])})" for v in values)
        lines.append(f"  conflict     {name}: {told}")
    for item in detail.get("set_aside", []):
        lines.append(
            f"  set aside    {item['field']} {item['value']} ({item['mention']}): {item['reason']}"
        )
    lines.append("mentions")
    for m in detail["mentions"]:
        flag = " background" if m["background"] else ""
        lines.append(f"  mention:{m['mention_id']}  {m['report']}  {m['published']}{flag}")
        for e in m["evidence"]:
            lines.append(f"    [{e['start']}:{e['end']}] {e['text']}")
    lines.append("history")
    if not detail["history"]:
        lines.append("  (no corrections)")
    for h in detail["history"]:
        lines.append(f"  #{h['id']} {h['at']} {h['who']} {h['action']} {h['payload']}: {h['why']}")
    return "\n".join(lines)


def write_parquet(rows: Sequence[Mapping[str, object]], path: Path) -> None:
    """Flat rows as a Parquet file (pyarrow is imported only when asked for)."""
    # Imported by name: the CLI should not pay for pyarrow unless Parquet is asked for.
    pa = importlib.import_module("pyarrow")
    pq = importlib.import_module("pyarrow.parquet")

    columns = event_columns(rows)
    table = pa.table({c: [row.get(c) for row in rows] for c in columns})
    pq.write_table(table, path)
