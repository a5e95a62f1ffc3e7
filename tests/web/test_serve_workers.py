"""`defcoop serve --workers 2`: two processes answer on one port, and a write made through
one of them is seen at once by both (their kept answers follow the store's version)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from served_store import Server, serving

from defcoop.errors import InputError
from defcoop.ingest.readers import ReadOptions
from defcoop.pipeline import Extractor, run_paths
from defcoop.store.database import Store

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "workers-test-token"
READS = 12  # spread over both workers by the kernel: each has kept its answer by then


def get(server: Server, path: str) -> dict[str, object]:
    """A GET's JSON answer."""
    with urllib.request.urlopen(server.url + path, timeout=30) as answer:
        value: dict[str, object] = json.loads(answer.read())
    return value


def listed_names(server: Server) -> set[str]:
    """The names the list gives to the events the words find, over several requests."""
    names = set()
    for _ in range(READS):
        items = get(server, "/api/events?q=steppe+shield")["items"]
        assert isinstance(items, list)
        names.update(str(item["name"]) for item in items)
    return names


def test_two_workers_see_a_write_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'samples.db'}"
    options = ReadOptions(published=None, max_bytes=1 << 20)
    with Store.open(url) as store:
        for item in run_paths([ROOT / "samples"], options, Extractor.from_package()):
            assert not isinstance(item, InputError), item
            store.add(item)
    with serving(url, TOKEN, workers=2) as server:
        (before,) = listed_names(server)
        (event,) = get(server, "/api/events?q=steppe+shield")["items"]  # type: ignore[misc]
        request = urllib.request.Request(
            f"{server.url}/api/events/{event['event_id']}/corrections",
            data=json.dumps({"set": {"name": "Quillwort Rampart"}, "why": "memo"}).encode(),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
        assert before != "Quillwort Rampart"
        assert listed_names(server) == {"Quillwort Rampart"}
