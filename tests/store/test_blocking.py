"""Stored blocking keys follow the rule that makes them (revision 0014 re-keys a store)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from linked_reports import linked_reports

from defcoop.records import Evidence, Extraction, Mention, Report
from defcoop.resolve.matching import blocking_keys, key_year
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
    with Store(f"sqlite:///{path}") as store:
        for extraction in reports[:-1]:
            store.add(extraction)
        mentions = {(m.doc, m.evidence[0].start): m for m in store.mentions()}
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT k.mention_id, m.doc, e.start FROM mention_keys k JOIN mentions m"
        " ON m.id = k.mention_id JOIN evidence e ON e.mention_id = m.id AND e.ordinal = 0"
    ).fetchall()
    keyed = {mention_id: mentions[(doc, start)] for mention_id, doc, start in rows}
    # The keys the rule before revision 0014 wrote: type, year and partner.
    connection.execute("DELETE FROM mention_keys")
    for mention_id, m in keyed.items():
        for code in m.participants:
            key = f"{m.type}|{key_year(m)}|{code}"
            connection.execute("INSERT INTO mention_keys VALUES (?, ?)", (key, mention_id))
    connection.execute("UPDATE alembic_version SET version_num = '0013'")
    connection.commit()
    connection.close()

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
