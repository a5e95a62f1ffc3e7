"""The review queue on invented reports: what is listed, in which order, and a merge from it."""

from __future__ import annotations

from pathlib import Path

from disagreeing_reports import another_pair, disagreeing_reports

from defcoop.store.database import Store


def filled(path: Path) -> Store:
    store = Store(f"sqlite:///{path}")
    for extraction in disagreeing_reports():
        store.add(extraction)
    return store


def test_the_queue_lists_conflicts_then_near_duplicates_then_thin_events(tmp_path: Path) -> None:
    with filled(tmp_path / "store.db") as store:
        items = store.review()
    summary = [(i.kind, [e.name or e.type for e in i.events], i.reports) for i in items]
    assert summary == [
        ("conflicts", ["Lake Guard-2023"], 3),
        ("near_duplicate", ["meeting", "meeting"], 2),
        ("incomplete", ["agreement"], 1),
        ("incomplete", ["training"], 1),
    ]
    assert items[0].reasons == (
        "location: Cholpon-Ata / Almaty",
        "start: 2023-03-06 / 2023-03-09",
    )
    assert [e.start for e in items[1].events] == ["2023-04-04", "2023-04-06"]
    assert items[2].reasons == ("no place",)
    assert items[3].reasons == ("one participant", "no date", "no place")
    assert items[1].as_json()["event_ids"] == [e.event_id for e in items[1].events]


def test_a_merge_from_the_queue_is_logged_and_a_split_keeps_the_pair_off_it(
    tmp_path: Path,
) -> None:
    with filled(tmp_path / "store.db") as store:
        pair = next(i for i in store.review() if i.kind == "near_duplicate")
        kept, other = (e.event_id for e in pair.events)
        assert store.merge([kept, other], "dana", "one meeting told twice") == kept
        after = store.review()
        # The merged meeting now carries its two dates as a conflict to settle.
        assert [(i.kind, i.reports) for i in after] == [
            ("conflicts", 3),
            ("conflicts", 2),
            ("incomplete", 1),
            ("incomplete", 1),
        ]
        merged = store.event(other)
        assert merged is not None and merged.event_id == kept and merged.reports == 2
        [entry] = store.history(kept)
        assert (entry["action"], entry["who"], entry["why"]) == (
            "merge",
            "dana",
            "one meeting told twice",
        )
        # An analyst who splits them again has said they are two: the pair stays off.
        later = [i for i, m in store.event_mentions(kept) if m.doc == "dx-talks-b"]
        store.split(kept, later, "dana", "two meetings after all")
        assert "near_duplicate" not in [i.kind for i in store.review()]
        assert len(store.review(limit=2)) == 2


def test_a_pair_kept_apart_leaves_the_queue_and_stays_apart(tmp_path: Path) -> None:
    with filled(tmp_path / "store.db") as store:
        for extraction in another_pair():
            store.add(extraction)
        pairs = [i for i in store.review() if i.kind == "near_duplicate"]
        visits = next(i for i in pairs if "KAZ" in i.events[0].participants
                      and "UZB" in i.events[0].participants)  # fmt: skip
        first, second = (e.event_id for e in visits.events)
        assert store.keep_apart([first, second], "dana", "two different visits") == first
        left = [i for i in store.review() if i.kind == "near_duplicate"]
        assert len(left) == len(pairs) - 1
        assert all({first, second} != {e.event_id for e in i.events} for i in left)
        assert [(h["action"], h["payload"]) for h in store.history(second)] == [
            ("apart", {"apart": [first]})
        ]
        # A merge asked later is still possible: the analyst's latest word wins.
        assert store.merge([first, second], "dana", "one visit after all") == first
