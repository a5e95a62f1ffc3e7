"""Schema versions of the store (Alembic), applied when a store is opened.

The revisions ship inside the package, so opening a store written by an older
defcoop upgrades it in place, offline. Stores made before the store carried a
version (no `alembic_version` table) are recognised by their tables and stamped
first. The upgrade runs in one writer transaction: a second process opening the
same store at once waits for it, then finds the store at head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect

from defcoop.errors import StoreError
from defcoop.records import Progress, no_progress

# The revision whose tables a store made before versioning holds, by a table (or a
# table's column) only it has.
_UNVERSIONED = (
    ("store_version", "0008"),
    ("event_pairs", "0007"),
    ("tally_events", "0006"),
    ("sources", "0004"),
    ("events.reconciled", "0003"),
    ("events", "0002"),
    ("reports", "0001"),
)


def _config(connection: Connection | None = None, progress: Progress = no_progress) -> Config:
    """Alembic's configuration, pointing at the revisions shipped here; a revision that
    takes long reports through `progress` (`config.attributes`)."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parent))
    if connection is not None:
        config.attributes["connection"] = connection
    config.attributes["progress"] = progress
    return config


def head() -> str:
    """The newest schema revision this defcoop writes."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    if revision is None:
        raise RuntimeError("no schema revisions shipped")
    return revision


def current(connection: Connection) -> str | None:
    """The revision a store is at; None when it carries none (new, or made before versions)."""
    return MigrationContext.configure(connection).get_current_revision()


def unversioned_revision(connection: Connection) -> str | None:
    """The revision of a store made before versioning, from its tables; None when empty."""
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    for mark, revision in _UNVERSIONED:
        table, _, column = mark.partition(".")
        if table in tables and (
            not column or column in {c["name"] for c in inspector.get_columns(table)}
        ):
            return revision
    return None


def upgrade(connection: Connection, target: str = "head", progress: Progress = no_progress) -> None:
    """Bring the store on this connection to `target`, inside the caller's transaction."""
    config = _config(connection, progress)
    found_now = current(connection)
    if found_now is not None:
        try:
            ScriptDirectory.from_config(config).get_revision(found_now)
        except CommandError as exc:
            raise StoreError(
                f"the store is at schema {found_now!r}, newer than this defcoop: upgrade defcoop"
            ) from exc
    else:
        found = unversioned_revision(connection)
        if found is not None:
            command.stamp(config, found)
    command.upgrade(config, target)


def needs_upgrade(engine: Engine) -> bool:
    """Whether the store is behind head (a cheap read; no lock taken)."""
    with engine.connect() as connection:
        return current(connection) != head()
