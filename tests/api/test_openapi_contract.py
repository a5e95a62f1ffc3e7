"""The API answers as its OpenAPI schema says: schemathesis drives every operation.

Bounded for CI: a fixed number of cases per operation and mode (schema-valid and
schema-invalid input), generated from a fixed seed (derandomized), with schemathesis'
default checks: no server error, documented status codes, bodies and headers,
schema-valid input accepted, invalid input refused, ...

Generated ids are never in the store, so the writes are also driven with real ones:
the event and mention ids of the sample store, then along the schema's links
(schemathesis' stateful mode), so that a merge, a split or a correction the data
refuses is seen to answer as documented (409 with the reason, never 422).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import HookContext
from schemathesis.core.transport import Response
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
# Reproducible and bounded: derandomized, no example database, no per-case deadline.
BOUNDED = settings(
    derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
OPERATIONS = sorted(
    (route.path, method)
    for route in routes.router.routes
    for method in getattr(route, "methods", ())
)


def contract_app(
    sample_db: Path, folder: Path, lexicons: tuple[ActorLexicon, Gazetteer]
) -> FastAPI:
    """The app over a copy of the sample store that the writes may change."""
    copy = folder / "store.db"
    shutil.copyfile(sample_db, copy)
    store = Store.open(f"sqlite:///{copy}")
    # schemathesis names the server "testserver" in its requests
    config = ServeConfig(allowed_hosts=("testserver",))
    return create_app(Backend(store, *lexicons, config))


@pytest.fixture(scope="module")
def api_schema(
    sample_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
    lexicons: tuple[ActorLexicon, Gazetteer],
) -> BaseSchema:
    """The app's own schema, over a store of its own."""
    app = contract_app(sample_db, tmp_path_factory.mktemp("contract"), lexicons)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_answers_as_documented(
    api_schema: BaseSchema, path: str, method: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(BOUNDED, max_examples=CASES_PER_MODE)
    def answers_as_documented(case: Case) -> None:
        case.call_and_validate()

    answers_as_documented()


REAL_ID_CASES = 40
STATEFUL_RUNS = 60
WRITES = ("corrections", "merge", "split")


@pytest.mark.parametrize("write", WRITES)
def test_writes_with_real_ids_answer_as_documented(
    sample_db: Path,
    tmp_path: Path,
    lexicons: tuple[ActorLexicon, Gazetteer],
    write: str,
) -> None:
    """Schema-valid writes naming stored events and mentions: done (200) or refused for
    what the store holds (409, e.g. an unknown participant, a mention not in the event)."""
    app = contract_app(sample_db, tmp_path, lexicons)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    client = TestClient(app, base_url="http://testserver")
    listed = client.get("/api/events", params={"limit": 500}).json()["items"]
    event_ids = [event["event_id"] for event in listed]
    mentions = {
        ident: [m["mention_id"] for m in client.get(f"/api/events/{ident}").json()["mentions"]]
        for ident in event_ids
    }
    mention_ids = sorted(m for found in mentions.values() for m in found)
    # what splits can take apart, and values a correction can set
    several = [ident for ident, found in mentions.items() if len(found) > 1]
    participants = sorted({code for event in listed for code in event["participants"]})
    places = sorted({e["location"]["name"] for e in listed if (e["location"] or {}).get("name")})
    assert several and participants and places
    operation = schema[f"/api/events/{{event_id}}/{write}"]["POST"]
    answers: dict[int, int] = {}

    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE), data=st.data())
    @settings(BOUNDED, max_examples=REAL_ID_CASES)
    def answers_as_documented(case: Case, data: st.DataObject) -> None:
        chosen = st.sampled_from(several) if write == "split" else st.nothing()
        event_id = data.draw(chosen | st.sampled_from(event_ids), label="event")
        case.path_parameters = {"event_id": event_id}
        body = case.body
        assert isinstance(body, dict)
        if write == "merge":
            body["events"] = data.draw(st.lists(st.sampled_from(event_ids), min_size=1))
        elif write == "split":
            # some or all of the mentions it started with, and others' (the draws must not
            # depend on the store, which the writes change)
            choice = st.sampled_from(mentions[event_id]) | st.sampled_from(mention_ids)
            body["mentions"] = data.draw(st.lists(choice, min_size=1, max_size=4))
        elif isinstance(body.get("set"), dict) and data.draw(st.booleans(), label="known"):
            # values the lexicon and gazetteer know, besides the generated ones
            if "participants" in body["set"]:
                body["set"]["participants"] = data.draw(
                    st.lists(st.sampled_from(participants), min_size=1, max_size=3)
                )
            if "location" in body["set"]:
                body["set"]["location"] = data.draw(st.sampled_from(places))
        status = case.call_and_validate().status_code
        answers[status] = answers.get(status, 0) + 1

    answers_as_documented()
    # the ids were real: some writes were done and some refused as conflicts, none 404
    assert 200 in answers and 409 in answers and 404 not in answers, answers


def test_following_the_links_answers_as_documented(
    sample_db: Path, tmp_path: Path, lexicons: tuple[ActorLexicon, Gazetteer]
) -> None:
    """schemathesis' stateful mode: sequences of calls, each taking ids from an earlier answer
    along the schema's links (list -> event -> split -> merge back, report -> event, ...)."""
    app = contract_app(sample_db, tmp_path, lexicons)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    seen: dict[str, set[int]] = {}

    @schema.hook
    def map_query(context: HookContext, query: dict[str, object] | None) -> object:
        """The walks start from the whole list of events: filters are fuzzed elsewhere."""
        if context.operation is not None and context.operation.label == "GET /api/events":
            return {}
        return query

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def after_call(self, response: Response, case: Case) -> None:
            super().after_call(response, case)
            seen.setdefault(case.operation.label, set()).add(response.status_code)

    Workflow.run(settings=settings(BOUNDED, max_examples=STATEFUL_RUNS, stateful_step_count=12))
    # the links led writes to stored ids (done, or refused as a conflict), not only to
    # 404/422; which writes a walk reaches varies, the real-id test above covers each
    reached = sorted(
        label
        for label, statuses in seen.items()
        if label.startswith("POST /api/events/") and statuses & {200, 409}
    )
    assert reached, sorted(seen.items())
