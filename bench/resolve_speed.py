"""Cost of cross-report resolution per report as the store grows from 1k to 100k mentions.

    python bench/resolve_speed.py [--small 1000] [--large 100000] [--batch 200]

Builds two synthetic SQLite stores (random country pairs, types, dates, some
names, some restated background sentences; written in bulk, with the event
partition `cluster_mentions` gives), then times `Store.add` of the same batch of
new synthetic reports into each: each add resolves the report's mentions against
the store through its indexed blocking keys and fingerprints. Prints the
per-report time of each and, last, `ratio R` (large / small). Blocking keeps it
near constant; a scan of the store would make it about large / small (100).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import create_engine, insert

from defcoop.records import EVENT_TYPES, Evidence, Extraction, Mention, Report
from defcoop.resolve.background import mention_fingerprints, restate_dates
from defcoop.resolve.clusters import cluster_mentions
from defcoop.resolve.events import reconcile
from defcoop.resolve.matching import blocking_keys
from defcoop.store.database import Store
from defcoop.store.events import event_row
from defcoop.store.rows import evidence_rows, mention_row, report_row
from defcoop.store.schema import (
    event_participants,
    events,
    evidence,
    mention_keys,
    mention_prints,
    mentions,
    reports,
)

COUNTRIES = sorted(c.alpha_3 for c in pycountry.countries)
SYLLABLES = ["ka", "ro", "tu", "mi", "sa", "vel", "dor", "an", "zi", "pe", "lo", "gar"]
MENTIONS_PER_REPORT = 2
FIRST_DAY = date(2005, 1, 1)
DAYS = 20 * 365


def _name(rng: random.Random, year: int) -> str:
    """A made-up exercise name of a series and a year ("Kavelro Shield-2019")."""
    word = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
    return f"{word} {rng.choice(['Shield', 'Eagle', 'Storm', 'Bridge'])}-{year}"


def synthetic_reports(count: int, seed: int, prefix: str) -> Iterator[Extraction]:
    """Reports of two mentions each; one sentence in twenty restates a background fact."""
    rng = random.Random(seed)
    background = [
        f"On day {i} of the year the ministers of the two countries signed a plan number {i}."
        for i in range(500)
    ]
    for number in range(count):
        published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        sentences: list[str] = []
        drafts: list[tuple[str, dict[str, Any]]] = []
        for k in range(MENTIONS_PER_REPORT):
            kind = rng.choice(EVENT_TYPES)
            start = published - timedelta(days=rng.randrange(30))
            pair = tuple(sorted(rng.sample(COUNTRIES, 2)))
            restated = rng.random() < 0.05
            sentence = (
                rng.choice(background)
                if restated
                else f"Report {prefix}{number} item {k}: forces of {pair[0]} and {pair[1]} "
                f"held a {kind} together near the border."
            )
            name = _name(rng, start.year) if kind == "exercise" and rng.random() < 0.3 else None
            sentences.append(sentence)
            fields = {"type": "agreement" if restated else kind, "name": name, "pair": pair}
            drafts.append((sentence, {**fields, "start": start.isoformat()}))
        text = " ".join(sentences)
        report = Report(id=f"{prefix}{number}", text=text, published=published)
        found: list[Mention] = []
        offset = 0
        for sentence, fields in drafts:
            at = text.index(sentence, offset)
            offset = at + len(sentence)
            found.append(
                Mention(
                    doc=report.id,
                    type=fields["type"],
                    name=fields["name"],
                    participants=fields["pair"],
                    location=None,
                    start=fields["start"],
                    end=None,
                    status="completed",
                    evidence=(Evidence(sentence, at, offset),),
                    published=published,
                )
            )
        yield Extraction(report, tuple(found))


def build_store(path: Path, mention_count: int) -> str:
    """A store of about `mention_count` mentions, written in bulk; its URL."""
    url = f"sqlite:///{path}"
    Store(url).close()  # creates the tables
    extractions = list(synthetic_reports(mention_count // MENTIONS_PER_REPORT, 1, "base-"))
    flat = [m for x in extractions for m in x.mentions]
    resolved = cluster_mentions(restate_dates(flat))
    engine = create_engine(url)
    now = datetime.now(UTC)
    rows: dict[str, list[dict[str, Any]]] = {
        name: [] for name in ("reports", "mentions", "evidence", "keys", "prints")
    }
    groups: dict[str, list[tuple[int, Mention]]] = {}
    mention_id = 0
    index = 0
    for extraction in extractions:
        rows["reports"].append(report_row(extraction.report, now))
        for ordinal, told in enumerate(extraction.mentions):
            mention_id += 1
            current = resolved[index]
            index += 1
            row = mention_row(current, extraction.report.id, ordinal)
            row.update(id=mention_id, told_start=told.start, told_status=told.status)
            row["told_background"] = told.background
            rows["mentions"].append(row)
            rows["evidence"].extend(evidence_rows(mention_id, told.evidence))
            rows["keys"].extend(
                {"key": k, "mention_id": mention_id} for k in blocking_keys(current)
            )
            rows["prints"].extend(
                {"print": p, "mention_id": mention_id} for p in mention_fingerprints(told)
            )
            groups.setdefault(current.event_id or "", []).append((mention_id, current))
    with engine.begin() as connection:
        connection.execute(insert(reports), rows["reports"])
        connection.execute(insert(mentions), rows["mentions"])
        connection.execute(insert(evidence), rows["evidence"])
        connection.execute(insert(mention_keys), rows["keys"])
        connection.execute(insert(mention_prints), rows["prints"])
        event_rows, participant_rows = [], []
        for seq, (ident, members) in enumerate(groups.items(), start=1):
            record = reconcile(ident, [m for _, m in members], [f"mention:{i}" for i, _ in members])
            event_rows.append({**event_row(record, now), "event_id": ident, "seq": seq})
            participant_rows.extend(
                {"event_id": ident, "code": c, "start": record.start} for c in record.participants
            )
        connection.execute(insert(events), event_rows)
        connection.execute(insert(event_participants), participant_rows)
    engine.dispose()
    return url


def time_batch(url: str, batch: list[Extraction]) -> float:
    """Seconds per report to add the batch, one report (one transaction) at a time."""
    with Store(url) as store:
        started = time.perf_counter()
        for extraction in batch:
            assert store.add(extraction)
        return (time.perf_counter() - started) / len(batch)


def main() -> None:
    """Build both stores, time the batch into each, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    batch = list(synthetic_reports(args.batch, 2, "new-"))
    timings: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in (args.small, args.large):
            started = time.perf_counter()
            url = build_store(Path(folder) / f"store-{size}.db", size)
            built = time.perf_counter() - started
            timings[size] = time_batch(url, batch)
            print(
                f"{size} mentions (built in {built:.1f} s): "
                f"{timings[size] * 1000:.2f} ms per report"
            )
    print(f"ratio {timings[args.large] / timings[args.small]:.2f}")


if __name__ == "__main__":
    main()
