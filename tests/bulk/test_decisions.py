"""Pair decisions on a cluster take every pair whose keys meet, one-way keys included."""

from __future__ import annotations

from datetime import date

from defcoop.bulk.decisions import Entry, matching_pairs, partition_of, version
from defcoop.records import Evidence, Mention
from defcoop.resolve.matching import blocking_keys, meets


def drill(mention_id: int, doc: str, *participants: str) -> tuple[int, Mention]:
    return mention_id, Mention(
        doc=doc,
        type="exercise",
        name=None,
        participants=participants,
        location=None,
        start="2023-04-11",
        end=None,
        status="completed",
        evidence=(Evidence("A drill of our own.", 0, 19),),
        published=date(2023, 4, 12),
    )


def test_a_lone_partner_meets_the_pairs_that_include_it_in_one_partition() -> None:
    mentions = [
        drill(1, "r1", "TUR"),
        drill(2, "r2", "GEO", "TUR"),
        drill(3, "r3", "IRN", "TUR"),
        drill(4, "r4", "GEO", "TUR"),
    ]
    entries: list[Entry] = [
        (key, version(i, m), m) for i, m in mentions for key in blocking_keys(m)
    ]
    for key, _, _ in entries:
        assert {partition_of(met, 7) for met in meets(key)} == {partition_of(key, 7)}
    found = {(a[0], b[0]) for a, b in matching_pairs(entries)}
    assert found == {(1, 2), (1, 3), (1, 4), (2, 4)}
