"""OpenAPI links: which answer gives the ids another operation takes.

A client (and schemathesis' stateful tests) follows them from a list of events to
one event, its corrections, a merge of two listed events, a split of one of its
mentions; from the review queue's first pair to a merge or a keep-apart; and back
from every write to the event it left. Operations are named by
their ids, which are the route functions' names (see api.routes).
"""

from __future__ import annotations

from typing import Any

# (path, method, status) -> {link name: link}
_EVENT = "$response.body#/event_id"
LINKS: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {
    ("/api/events", "get", "200"): {
        "GetFirstEvent": {
            "operationId": "get_event",
            "parameters": {"event_id": "$response.body#/items/0/event_id"},
        },
        "CorrectFirstEvent": {
            "operationId": "correct_event",
            "parameters": {"event_id": "$response.body#/items/0/event_id"},
        },
        "MergeSecondIntoFirst": {
            "operationId": "merge_events",
            "parameters": {"event_id": "$response.body#/items/0/event_id"},
            "requestBody": {"events": ["$response.body#/items/1/event_id"]},
        },
    },
    ("/api/events/{event_id}", "get", "200"): {
        "SplitFirstMention": {
            "operationId": "split_event",
            "parameters": {"event_id": _EVENT},
            "requestBody": {"mentions": ["$response.body#/mentions/0/mention_id"]},
        },
        "CorrectEvent": {"operationId": "correct_event", "parameters": {"event_id": _EVENT}},
        "GetFirstReport": {
            "operationId": "get_report",
            "parameters": {"report_id": "$response.body#/mentions/0/report"},
        },
    },
    ("/api/review", "get", "200"): {
        "MergeFirstPair": {
            "operationId": "merge_events",
            "parameters": {"event_id": "$response.body#/items/0/event_ids/0"},
            "requestBody": {"events": ["$response.body#/items/0/event_ids/1"]},
        },
        "KeepFirstPairApart": {
            "operationId": "keep_apart",
            "parameters": {"event_id": "$response.body#/items/0/event_ids/0"},
            "requestBody": {"events": ["$response.body#/items/0/event_ids/1"]},
        },
    },
    ("/api/events/{event_id}/corrections", "post", "200"): {
        "GetCorrectedEvent": {"operationId": "get_event", "parameters": {"event_id": _EVENT}},
    },
    ("/api/events/{event_id}/merge", "post", "200"): {
        "GetMergedEvent": {"operationId": "get_event", "parameters": {"event_id": _EVENT}},
    },
    ("/api/events/{event_id}/split", "post", "200"): {
        "GetNewEvent": {"operationId": "get_event", "parameters": {"event_id": _EVENT}},
        "MergeBack": {
            "operationId": "merge_events",
            "parameters": {"event_id": "$request.path.event_id"},
            "requestBody": {"events": [_EVENT]},
        },
    },
    ("/api/reports", "post", "201"): {
        "GetPostedReport": {
            "operationId": "get_report",
            "parameters": {"report_id": "$response.body#/report_id"},
        },
        "GetItsFirstEvent": {
            "operationId": "get_event",
            "parameters": {"event_id": "$response.body#/events/0"},
        },
    },
    ("/api/reports/{report_id}", "get", "200"): {
        "GetFirstMentionEvent": {
            "operationId": "get_event",
            "parameters": {"event_id": "$response.body#/mentions/0/event_id"},
        },
        "MergeItsTwoEvents": {
            "operationId": "merge_events",
            "parameters": {"event_id": "$response.body#/mentions/0/event_id"},
            "requestBody": {"events": ["$response.body#/mentions/1/event_id"]},
        },
    },
    ("/api/points", "get", "200"): {
        "GetPointEvent": {
            "operationId": "get_event",
            "parameters": {"event_id": "$response.body#/0/event_id"},
        },
    },
}


def with_links(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI schema with the links above on the answers they start from."""
    for (path, method, status), links in LINKS.items():
        response = schema["paths"][path][method]["responses"][status]
        response["links"] = links
    return schema
