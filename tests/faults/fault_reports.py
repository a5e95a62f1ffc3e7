"""Small invented reports for the fault suite: many short reports that link into events.

Each story (an exercise, an agreement, a visit) is told by several reports with
different wording and publication dates, so ingesting them exercises cross-report
resolution, not only inserts. `write_reports` writes them as JSON files with ids
that are distinct per batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path


@dataclass(frozen=True)
class Pair:
    """Two countries as reports name them."""

    a: str
    b: str
    a_people: str
    b_people: str
    city: str


PAIRS = (
    Pair("Georgia", "Poland", "Georgian", "Polish", "Tbilisi"),
    Pair("Kazakhstan", "Uzbekistan", "Kazakh", "Uzbek", "Almaty"),
    Pair("Chile", "Peru", "Chilean", "Peruvian", "Arica"),
    Pair("Mongolia", "India", "Mongolian", "Indian", "Ulaanbaatar"),
    Pair("Morocco", "France", "Moroccan", "French", "Agadir"),
    Pair("Azerbaijan", "Turkey", "Azerbaijani", "Turkish", "Baku"),
    Pair("Lithuania", "Latvia", "Lithuanian", "Latvian", "Vilnius"),
    Pair("Brazil", "Paraguay", "Brazilian", "Paraguayan", "Asuncion"),
)
SERIES = ("Steel Falcon", "River Guard", "Mountain Step", "Coastal Shield", "Night Bridge")


def _story(pair: Pair, series: str, year: int, told: int) -> str:
    """One of several wordings of one exercise between the pair."""
    name = f"{series}-{year}"
    wordings = (
        f"{pair.a_people} and {pair.b_people} troops began the joint exercise {name} "
        f"near {pair.city} on September 6, the defence ministry said.",
        f"Servicemen of {pair.a} and {pair.b} are taking part in the {name} drills "
        f"near {pair.city}, which will last until September 17.",
        f"The joint exercise {name} of {pair.a_people} and {pair.b_people} forces "
        f"ended near {pair.city} on September 17.",
    )
    return wordings[told % len(wordings)]


def _agreement(pair: Pair, year: int) -> str:
    """A signing between the pair."""
    return (
        f"The defence ministers of {pair.a} and {pair.b} signed a military cooperation "
        f"agreement in {pair.city} on March 3, {year}."
    )


def report_texts(count: int) -> list[tuple[date, str]]:
    """`count` report bodies with publication dates; stories repeat across reports."""
    found: list[tuple[date, str]] = []
    for number in range(count):
        pair = PAIRS[number % len(PAIRS)]
        year = 2019 + (number // len(PAIRS)) % 4
        series = SERIES[(number // 3) % len(SERIES)]
        told = number // (len(PAIRS) * 4)
        published = date(year, 9, 7) + timedelta(days=told * 5)
        # the dispatch number keeps every report's content (and so its hash) distinct
        body = [_story(pair, series, year, told), f"This was wire dispatch {number}."]
        if number % 4 == 0:
            body.append(_agreement(pair, year))
        found.append((published, "\n\n".join(body)))
    return found


def write_reports(folder: Path, count: int, prefix: str, start: int = 0) -> list[Path]:
    """Write reports `start`..`start + count - 1` as JSON files named by id; their paths."""
    return write_numbered(folder, range(start, start + count), prefix)


def write_numbered(folder: Path, numbers: Iterable[int], prefix: str) -> list[Path]:
    """Write the reports of these numbers as JSON files named by id; their paths."""
    wanted = sorted(set(numbers))
    folder.mkdir(parents=True, exist_ok=True)
    texts = report_texts(wanted[-1] + 1 if wanted else 0)
    paths = []
    for number in wanted:
        published, text = texts[number]
        ident = f"{prefix}-{number:04d}"
        path = folder / f"{ident}.json"
        record = {"id": ident, "published": published.isoformat(), "text": text}
        path.write_text(json.dumps(record), encoding="utf-8")
        paths.append(path)
    return paths
