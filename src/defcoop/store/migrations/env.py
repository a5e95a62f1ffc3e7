"""Alembic's environment for the store: the connection defcoop hands over, or a URL.

defcoop runs migrations itself when a store is opened (`migrations.upgrade`), on a
connection inside its writer transaction. Developers writing a new revision use
the alembic command line from the repository root:

    alembic -c src/defcoop/store/migrations/alembic.ini -x db=sqlite:///dev.db \
        revision --autogenerate -m "what changes"
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from defcoop.store.engine import engine_for, store_url
from defcoop.store.schema import metadata


def _run(connection: Connection) -> None:
    """Configure the context on a connection and run the migrations asked for."""
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if isinstance(given, Connection):
    _run(given)
else:
    url = context.get_x_argument(as_dictionary=True).get("db") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the store: alembic -x db=URL ...")
    engine = engine_for(store_url(url))
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()
