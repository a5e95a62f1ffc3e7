"""The events list's quick check of its parameters takes only what FastAPI's takes, and
makes the same query of it; anything else goes FastAPI's way, with the same answer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import QueryParams

from defcoop.api.filters import page_filters, quick_page_query
from defcoop.store.pages import encode_cursor
from defcoop.store.search import EventQuery

CURSOR = encode_cursor(("2021-06-01", "exercise-aze-tur-2021-1a2b"))
# The list's requests of a user and of bench/api_speed.py: all taken by the quick check.
USUAL = [
    "",
    "limit=50",
    "country=TUR&limit=50",
    "dyad=AZE-TUR&limit=50",
    "type=exercise&since=2020&limit=50",
    "q=falcon&limit=50",
    "place=Place17&limit=50",
    "status=planned&until=2005-06&country=USA&limit=50",
    f"limit=50&cursor={CURSOR}",
    f"country=tur&type=meeting&since=2019-02-28&until=2024&conflicts=true&cursor={CURSOR}",
    "series=steppeshield&offset=20&limit=500",
    "q=&place=Caspian%20Sea&conflicts=false&offset=0",
]
NAMES = [
    "country", "dyad", "type", "status", "since", "until", "place", "q", "conflicts",
    "series", "limit", "offset", "cursor", "other",
]  # fmt: skip
VALUES = [
    "", "TUR", "tur", "T", "TURKEYTURKEY", "AZE-TUR", "AZE-", "AZE-TUR-GEO", "exercise",
    "Exercise", "planned", "2020", "2020-02", "2020-02-29", "2021-02-29", "0000", "2020-13",
    "２０２０", "2020\n", " 2020", "true", "false", "True", "1", "0", "yes", "50", "500",
    "501", "-1", "05", "1e3", "+5", "1000000000", "1000000001", "falcon", "Ş", "a" * 200,
    "a" * 201, CURSOR, CURSOR + "=", "bm90LWEtY3Vyc29y", "x" * 401, "abc123", "ABC",
]  # fmt: skip


def checked_app() -> TestClient:
    """An app answering FastAPI's own reading of the list's parameters."""
    app = FastAPI()

    @app.get("/check")
    async def check(query: Annotated[EventQuery, Depends(page_filters)]) -> dict[str, Any]:
        return asdict(query)

    return TestClient(app)


CHECKED = checked_app()


def fastapi_reading(query_string: str) -> tuple[int, dict[str, Any] | None]:
    """FastAPI's status for the parameters, and the query it makes of them when it takes them."""
    response = CHECKED.get("/check?" + query_string)
    return response.status_code, response.json() if response.status_code == 200 else None


def as_json(query: EventQuery) -> dict[str, Any]:
    """A query as the check app answers it (tuples become lists)."""
    found = asdict(query)
    for name in ("dyad", "after"):
        if found[name] is not None:
            found[name] = list(found[name])
    return found


def test_the_usual_requests_are_taken_quickly_as_fastapi_reads_them() -> None:
    for query_string in USUAL:
        quick = quick_page_query(QueryParams(query_string))
        assert quick is not None, query_string
        assert fastapi_reading(query_string) == (200, as_json(quick)), query_string


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.one_of(st.sampled_from(VALUES), st.text(max_size=12)),
        ),
        max_size=5,
    )
)
def test_what_the_quick_check_takes_fastapi_takes_alike(pairs: list[tuple[str, str]]) -> None:
    query_string = str(QueryParams(pairs))
    quick = quick_page_query(QueryParams(query_string))
    if quick is not None:
        assert fastapi_reading(query_string) == (200, as_json(quick)), query_string


def test_both_ways_give_the_same_answers(client: TestClient) -> None:
    for query_string in ["limit=3", "country=AZE&limit=2", "q=exercise", "type=meeting"]:
        assert quick_page_query(QueryParams(query_string)) is not None
        # every parameter twice: FastAPI's way, which takes the last of each
        twice = f"{query_string}&{query_string}"
        assert quick_page_query(QueryParams(twice)) is None
        quick, checked = (
            client.get("/api/events?" + query_string),
            client.get("/api/events?" + twice),
        )
        assert quick.status_code == checked.status_code == 200
        assert quick.content == checked.content
    refused = client.get("/api/events?since=2021-02-29")
    assert refused.status_code == 422 and "since" in refused.json()["detail"]
    unknown = client.get("/api/events?cursor=bm90LWEtY3Vyc29y")
    assert unknown.status_code == 404 and "not a cursor" in unknown.json()["detail"]
