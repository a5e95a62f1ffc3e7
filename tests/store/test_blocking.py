"""Stored blocking keys follow the rule that makes them (revision 0015 re-keys a store)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from linked_reports import linked_reports
from old_keys import old_keyed_store

from defcoop.records import Evidence, Extraction, Mention, Report
from defcoop.resolve.matching import blocking_keys
from defcoop.store.blocking import REKEY_PHASE
from defcoop.store.database import Store


def partition(store: Store) -> set[frozenset[tuple[str, int]]]:
    groups: dict[str | None, set[tuple[str, int]]] = {}
    for m in store.mentions():
        groups.setdefault(m.event_id, set()).add((m.doc, m.evidence[0].start))
    return {frozenset(g) for g in groups.values()}


def test_a_store_keyed_by_the_year_rule_is_rekeyed_and_resolves_as_a_clean_one(
    tmp_path: Path,
) -> None:
    reports = linked_reports()
    path = tmp_path / "old-keys.db"
    keyed = old_keyed_store(path, reports[:-1])

    with Store(f"sqlite:///{path}") as store:
        store.add(reports[-1])
        upgraded = partition(store)
    connection = sqlite3.connect(path)
    stored: dict[int, set[str]] = {}
    for key, mention_id in connection.execute("SELECT key, mention_id FROM mention_keys"):
        stored.setdefault(mention_id, set()).add(key)
    connection.close()
    for mention_id, m in keyed.items():
        assert stored[mention_id] == set(blocking_keys(m))
    with Store(f"sqlite:///{tmp_path / 'clean.db'}") as clean:
        for extraction in reports:
            clean.add(extraction)
        assert upgraded == partition(clean)


def test_rekeying_an_old_store_tells_its_progress_once_opened(tmp_path: Path) -> None:
    path = tmp_path / "old-keys.db"
    keyed = old_keyed_store(path, linked_reports())
    heard: list[tuple[str, int, int | None]] = []
    with Store(f"sqlite:///{path}", progress=lambda *told: heard.append(told)):
        pass
    rekeying = [told for told in heard if told[0] == REKEY_PHASE]
    assert rekeying[0] == (REKEY_PHASE, 0, len(keyed))
    assert rekeying[-1] == (REKEY_PHASE, len(keyed), len(keyed))
    heard.clear()
    with Store(f"sqlite:///{path}", progress=lambda *told: heard.append(told)):
        pass
    assert heard == []  # a current store has nothing to do


def test_a_lone_partner_joins_the_event_of_a_pair_that_includes_it(tmp_path: Path) -> None:
    """A one-partner mention and a two-partner one meet on one-way keys, either way round."""

    def report(doc: str, participants: tuple[str, ...]) -> Extraction:
        text = f"Our own sentence about a drill on the eleventh, told in {doc}."
        mention = Mention(
            doc=doc,
            type="exercise",
            name=None,
            participants=participants,
            location=None,
            start="2023-04-11",
            end=None,
            status="completed",
            evidence=(Evidence(text, 0, len(text)),),
            published=date(2023, 4, 12),
        )
        return Extraction(Report(id=doc, text=text, published=date(2023, 4, 12)), (mention,))

    for order in (["lone", "pair", "other"], ["pair", "other", "lone"]):
        with Store(f"sqlite:///{tmp_path / ('-'.join(order) + '.db')}") as store:
            given = {"lone": ("TUR",), "pair": ("GEO", "TUR"), "other": ("IRN", "TUR")}
            for doc in order:
                store.add(report(doc, given[doc]))
            events = {m.doc: m.event_id for m in store.mentions()}
        assert events["lone"] == events["pair"] == events["other"]
