"""The loaded resources the server's routes share: the store, the extractor, the lexicons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

from fastapi import Depends, Request

from defcoop.api.answers import AnswerCache
from defcoop.api.config import ServeConfig
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.pipeline import Extractor
from defcoop.store.database import Store

# Answers are computed on threads of their own (in each server process), not on the
# shared pool of up to 40: their work is Python under one lock (the GIL) but for the
# database's own, so more threads only take turns, and every switch slows the event loop
# serving kept answers and files too. On SQLite, at a million events (bench/api_speed.py,
# 16 requests in flight) uncached list pages went from about 150 to 185 requests/s and
# their p99 from about 220 to 140 ms, with one thread or two; two, so that one slow answer
# does not hold every other one up. On PostgreSQL a thread also waits for the server's
# answers, and each wait ends in a queue for the GIL behind every other thread that holds
# or wants it: on 40 threads an uncached page's p99 was 3.5-6x the static file's, on four
# 1.7-1.9x and 480-530 requests/s against 330 (on two, 476).
SQLITE_ANSWER_THREADS = 2
SERVER_ANSWER_THREADS = 4  # no more than the read pool's connections kept (5)


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
        threads = SQLITE_ANSWER_THREADS if store.version_is_local else SERVER_ANSWER_THREADS
        self._computing = ThreadPoolExecutor(threads, thread_name_prefix="defcoop-answers")

    async def computed(self, work: Callable[[], bytes]) -> bytes:
        """`work()` run off the event loop, on the answers' threads (SQLITE_ANSWER_THREADS,
        SERVER_ANSWER_THREADS)."""
        return await asyncio.get_running_loop().run_in_executor(self._computing, work)


async def _backend(request: Request) -> Backend:
    """The backend the application was built with."""
    found: Backend = request.app.state.backend
    return found


BackendDep = Annotated[Backend, Depends(_backend)]
