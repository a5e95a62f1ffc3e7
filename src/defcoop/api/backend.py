"""The loaded resources the server's routes share: the store, the extractor, the lexicons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from defcoop.api.answers import AnswerCache
from defcoop.api.config import ServeConfig
from defcoop.nlp.actors import ActorLexicon
from defcoop.nlp.places import Gazetteer
from defcoop.pipeline import Extractor
from defcoop.store.database import Store

# Answers computed from a SQLite store run on this many threads of their own (in each
# server process), not on the shared pool of up to 40: their work is Python under one
# lock (the GIL) but for SQLite's own, so more threads only take turns, and every
# switch slows the event loop serving kept answers and files too. At a million events
# (bench/api_speed.py, 16 requests in flight) uncached list pages went from about 150
# to 185 requests/s and their p99 from about 220 to 140 ms, with one thread or two;
# two, so that one slow answer does not hold every other one up. A database server's
# round trips keep the shared pool.
SQLITE_ANSWER_THREADS = 2


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
        self._computing = (
            ThreadPoolExecutor(SQLITE_ANSWER_THREADS, thread_name_prefix="defcoop-answers")
            if store.version_is_local
            else None
        )

    async def computed(self, work: Callable[[], bytes]) -> bytes:
        """`work()` run off the event loop (see SQLITE_ANSWER_THREADS)."""
        if self._computing is None:
            return await run_in_threadpool(work)
        return await asyncio.get_running_loop().run_in_executor(self._computing, work)


async def _backend(request: Request) -> Backend:
    """The backend the application was built with."""
    found: Backend = request.app.state.backend
    return found


BackendDep = Annotated[Backend, Depends(_backend)]
