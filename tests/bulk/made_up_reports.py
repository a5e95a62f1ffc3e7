"""Small made-up reports, already extracted, for loads that must cut into many parts.

Few partners and years, so that mentions match across reports; some named drills; and
a handful of background sentences that reports restate with other dates, some in
another year, so that restating moves mentions between a type and year's classes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

from defcoop.records import Evidence, Extraction, Location, Mention, Report

PARTNERS = ["ARM", "AZE", "GEO", "TUR"]
KINDS = ["exercise", "training", "meeting", "transfer"]
DAYS = 240  # dense: mentions of one pair bridge earlier events, which then merge
FIRST_DAY = date(2019, 9, 1)
BACKGROUND = [
    f"Back in the day the two defence ministries agreed on protocol {n} for staff talks."
    for n in range(6)
]

# Facts told fewer times each: restating re-dates their mentions more often.
MANY_FACTS = [
    f"Long ago the general staffs signed memorandum {n} on joint air defence." for n in range(40)
]


# Named agreements, one name for the agreements signed in a year (`year % names`).
AGREEMENT_NAMES = [
    "Amber Accord",
    "Birch Compact",
    "Cedar Protocol",
    "Dune Charter",
    "Elm Treaty",
    "Fjord Pact",
]


def made_up_reports(count: int, seed: int, years: int = 0, names: int = 0) -> Iterator[Extraction]:
    """`count` reports of two mentions each; with `years`, the background facts are told
    dated up to that many years before the report (restating then moves mentions across
    many years' classes, both ways); with `names`, a fifth of the mentions recall one of
    that many named agreements signed up to six years before, a third of them undated
    (an undated name may match its name's agreement of any year)."""
    rng = random.Random(seed)
    for number in range(count):
        published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        parts: list[str] = []
        told: list[dict[str, object]] = []
        for item in range(2):
            pair = tuple(sorted(rng.sample(PARTNERS, 2)))
            start = published - timedelta(days=rng.randrange(20))
            undated = False
            if names and rng.random() < 0.2:
                kind, signed = "agreement", published.year - rng.randrange(6)
                name = AGREEMENT_NAMES[signed % names]
                sentence = f"Story {number}.{item}: {pair[0]} and {pair[1]} recalled the {name}."
                start = date(signed, 1 + rng.randrange(12), 1 + rng.randrange(28))
                undated = rng.random() < 0.3
            elif rng.random() < 0.15:
                sentence, kind, name = rng.choice(BACKGROUND), "agreement", None
                if years:
                    sentence = rng.choice(MANY_FACTS)
                    start = published - timedelta(days=rng.randrange(365 * years))
            else:
                kind = rng.choice(KINDS)
                sentence = (
                    f"Story {number}.{item}: units of {pair[0]} and {pair[1]} met for a {kind}."
                )
                name = (
                    f"Steppe Guard-{start.year}"
                    if kind == "exercise" and rng.random() < 0.4
                    else None
                )
            # Some meetings are told as news, undated: they match a dated telling of their
            # fortnight, whose year is the report's (`resolve.matching.key_year`).
            undated = undated or (kind == "meeting" and rng.random() < 0.3)
            parts.append(sentence)
            told.append(
                {
                    "kind": kind,
                    "name": name,
                    "pair": pair,
                    "start": None if undated else start.isoformat(),
                }
            )
        text = " ".join(parts)
        report = Report(id=f"made-up-{number}", text=text, published=published)
        mentions = []
        offset = 0
        for sentence, fields in zip(parts, told, strict=True):
            at = text.index(sentence, offset)
            offset = at + len(sentence)
            mentions.append(
                Mention(
                    doc=report.id,
                    type=fields["kind"],  # type: ignore[arg-type]
                    name=fields["name"],  # type: ignore[arg-type]
                    participants=fields["pair"],  # type: ignore[arg-type]
                    location=None,
                    start=fields["start"],  # type: ignore[arg-type]
                    end=None,
                    status="completed",
                    evidence=(Evidence(sentence, at, offset),),
                    published=published,
                )
            )
        yield Extraction(report, tuple(mentions))


def with_repeats_and_awkward_text(items: list[Extraction]) -> list[Extraction]:
    """The reports with characters COPY's text format escapes in their text (backslash,
    tab, line breaks), a place with coordinates, and every fifth report sent again later
    (same content: stored once), some soon after, some much later."""
    awkward: list[Extraction] = []
    for number, item in enumerate(items):
        text = item.report.text + "\tC:\\drills\\log\r\nend\\N"
        mentions = tuple(
            replace(m, location=Location("Gori\tbase", "GEO", 41.98 + number / 7, 44.11))
            if number % 3 == 0 and k == 0
            else m
            for k, m in enumerate(item.mentions)
        )
        awkward.append(Extraction(replace(item.report, text=text), mentions))
    again = [awkward[n] for n in range(0, len(awkward), 5)]
    return [*awkward[: len(awkward) // 2], *again[:3], *awkward[len(awkward) // 2 :], *again]
