"""Stored blocking keys follow the rule that makes them (revision 0014 re-keys a store)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from linked_reports import linked_reports

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
