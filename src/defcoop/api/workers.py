"""Several server processes on one port (`defcoop serve --workers N`).

uvicorn starts each worker in a fresh process and builds its application by calling
`worker_app`; what the command was given reaches the workers in one environment
variable (`worker_setup`). Every worker opens the store itself and keeps its own
answers (`api.answers`); the store's version tells each of them about any write.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from typing import TYPE_CHECKING

from defcoop.api.config import ServeConfig

if TYPE_CHECKING:
    from fastapi import FastAPI

WORKER_SETUP = "DEFCOOP_SERVE_WORKER"


def worker_setup(url: str, config: ServeConfig) -> str:
    """What a worker needs, as the text of WORKER_SETUP."""
    return json.dumps({"url": url, "config": asdict(config)})


def setup_from(text: str) -> tuple[str, ServeConfig]:
    """The store URL and configuration `worker_setup` wrote."""
    value = json.loads(text)
    given = value["config"]
    config = ServeConfig(**{**given, "allowed_hosts": tuple(given["allowed_hosts"])})
    return str(value["url"]), config


def worker_app() -> FastAPI:
    """The application of one worker process (uvicorn's factory)."""
    from defcoop.api.app import create_app, ready_to_serve
    from defcoop.api.backend import Backend
    from defcoop.nlp.actors import ActorLexicon
    from defcoop.nlp.places import Gazetteer
    from defcoop.store.database import Store

    url, config = setup_from(os.environ[WORKER_SETUP])
    store = Store.open(url)
    backend = Backend(store, ActorLexicon.from_package(), Gazetteer.from_package(), config)
    return ready_to_serve(create_app(backend))
