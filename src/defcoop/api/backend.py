"""The loaded resources the server's routes share: the store, the extractor, the lexicons."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from defcoop.api.answers import AnswerCache
from defcoop.api.config import ServeConfig
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.pipeline import Extractor
from defcoop.store.database import Store


class Backend:
    """The store the server reads and writes, what ingesting and correcting need, and the
    answers kept (`api.answers`)."""

    def __init__(
        self, store: Store, actors: ActorLexicon, places: Gazetteer, config: ServeConfig
    ) -> None:
        self.store = store
        self.actors = actors
        self.places = places
        self.extractor = Extractor(actors, places)
        self.config = config
        self.answers = AnswerCache(config.cached_answers)


async def _backend(request: Request) -> Backend:
    """The backend the application was built with."""
    found: Backend = request.app.state.backend
    return found


BackendDep = Annotated[Backend, Depends(_backend)]
