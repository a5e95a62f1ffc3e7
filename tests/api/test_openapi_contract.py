"""The API answers as its OpenAPI schema says: schemathesis drives every operation.

Bounded for CI: a fixed number of cases per operation and mode (schema-valid and
schema-invalid input), generated from a fixed seed (derandomized), with schemathesis'
default checks: no server error, documented status codes, bodies and headers,
schema-valid input accepted, invalid input refused, ...
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.case import Case
from schemathesis.generation.modes import GenerationMode
from schemathesis.schemas import BaseSchema

from defcoop.api import routes
from defcoop.api.app import create_app
from defcoop.api.backend import Backend
from defcoop.api.config import ServeConfig
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.store.database import Store

CASES_PER_MODE = 120
OPERATIONS = sorted(
    (route.path, method)
    for route in routes.router.routes
    for method in getattr(route, "methods", ())
)


@pytest.fixture(scope="module")
def api_schema(
    sample_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
    lexicons: tuple[ActorLexicon, Gazetteer],
) -> BaseSchema:
    """The app's own schema, over a copy of the sample store that the writes may change."""
    copy = tmp_path_factory.mktemp("contract") / "store.db"
    shutil.copyfile(sample_db, copy)
    store = Store.open(f"sqlite:///{copy}")
    # schemathesis names the server "testserver" in its requests
    config = ServeConfig(allowed_hosts=("testserver",))
    app = create_app(Backend(store, *lexicons, config))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_answers_as_documented(
    api_schema: BaseSchema, path: str, method: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=CASES_PER_MODE,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case: Case) -> None:
        case.call_and_validate()

    answers_as_documented()
