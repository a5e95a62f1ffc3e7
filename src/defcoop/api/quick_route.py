"""The events list's route: its usual requests skip FastAPI's checks of each parameter.

FastAPI solves a route's dependencies and validates each of its query parameters on
every request; for the list's thirteen, that costs about a fifth of a computed page at
a million events. This route checks the usual request itself (`filters.quick_page_query`)
and calls the endpoint with the query; any other request (a value out of its plain form,
a parameter given twice, an unknown cursor) takes FastAPI's way, with its answers and
errors. The schema is FastAPI's, from the endpoint's signature, as for every route.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

from defcoop.api.filters import quick_page_query


class QuickPageRoute(APIRoute):
    """A route whose endpoint takes (backend, query) and pages events (`list_events`)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The handler: the quick check, else FastAPI's own handler."""
        checked = super().get_route_handler()
        endpoint = self.endpoint

        async def handler(request: Request) -> Response:
            query = quick_page_query(request.query_params)
            if query is None:
                return await checked(request)
            answer: Response = await endpoint(request.app.state.backend, query)
            return answer

        return handler
