"""Clients of the app over a store built from the samples (one build, a copy per test)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_store import build_sample_store

from defcoop.api.app import create_app
from defcoop.api.backend import Backend
from defcoop.api.config import ServeConfig
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.store.database import Store

MakeClient = Callable[..., TestClient]


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples ingested once into a SQLite file (never written by the tests)."""
    path = tmp_path_factory.mktemp("samples") / "samples.db"
    build_sample_store(path)
    return path


@pytest.fixture(scope="session")
def lexicons() -> tuple[ActorLexicon, Gazetteer]:
    """The packaged lexicon and gazetteer, loaded once."""
    return ActorLexicon.from_package(), Gazetteer.from_package()


@pytest.fixture
def make_client(
    sample_db: Path, tmp_path: Path, lexicons: tuple[ActorLexicon, Gazetteer]
) -> Iterator[MakeClient]:
    """Build a client over this test's own copy of the sample store, with a given config."""
    copy = tmp_path / "store.db"
    shutil.copyfile(sample_db, copy)
    stores: list[Store] = []

    def make(**config: object) -> TestClient:
        store = Store.open(f"sqlite:///{copy}")
        stores.append(store)
        backend = Backend(store, *lexicons, ServeConfig(**config))  # type: ignore[arg-type]
        # a loopback server is asked for by its address (the Host check refuses others)
        return TestClient(create_app(backend), base_url="http://127.0.0.1")

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    """A client of a loopback server without a token."""
    return make_client()
