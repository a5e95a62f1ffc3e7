"""A store written under an older blocking-key rule, for the tests of re-keying."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from defcoop.records import Extraction, Mention
from defcoop.resolve.matching import key_year
from defcoop.store.database import Store


def old_keyed_store(path: Path, reports: list[Extraction]) -> dict[int, Mention]:
    """A store of `reports` holding the keys the rule before revision 0014 wrote (type,
    year and partner), stamped at 0013; its keyed mentions by id."""
    with Store(f"sqlite:///{path}") as store:
        for extraction in reports:
            store.add(extraction)
        mentions = {(m.doc, m.evidence[0].start): m for m in store.mentions()}
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT k.mention_id, m.doc, e.start FROM mention_keys k JOIN mentions m"
        " ON m.id = k.mention_id JOIN evidence e ON e.mention_id = m.id AND e.ordinal = 0"
    ).fetchall()
    keyed = {mention_id: mentions[(doc, start)] for mention_id, doc, start in rows}
    connection.execute("DELETE FROM mention_keys")
    for mention_id, m in keyed.items():
        for code in m.participants:
            key = f"{m.type}|{key_year(m)}|{code}"
            connection.execute("INSERT INTO mention_keys VALUES (?, ?)", (key, mention_id))
    connection.execute("UPDATE alembic_version SET version_num = '0013'")
    connection.commit()
    connection.close()
    return keyed
