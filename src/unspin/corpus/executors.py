"""Where a corpus run's batches are analysed: a local process pool here, a Dask cluster in `corpus.cluster`.

Both run `worker.process_batch` in worker processes that were set up once with the run's `WorkerSetup`, and
both look the same to the runner: `submit` a batch, `wait` for the first results, read a `result` (or learn
that the worker died), `close`. The runner alone reads the sources and writes the store.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Collection
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Protocol

from unspin.corpus import worker
from unspin.corpus.worker import Outcome, WorkerSetup
from unspin.workers import start_worker_process

if TYPE_CHECKING:
    from unspin.ingest.corpus import RawItem

log = logging.getLogger(__name__)

# Batches handed out ahead of the results, per worker: one being analysed and one waiting, so no worker idles
# between batches, and few enough that a kill loses little and memory stays flat however large the corpus.
AHEAD_PER_WORKER = 2


class WorkerDied(Exception):
    """The worker analysing a batch died. `all_lost`: every batch in flight is lost with it (a local pool
    breaks as a whole; a Dask cluster loses only that worker's batch)."""

    def __init__(self, all_lost: bool) -> None:
        super().__init__(worker.WORKER_DIED)
        self.all_lost = all_lost


class BatchExecutor(Protocol):
    """What the runner needs of the place where batches run."""

    name: str

    def capacity(self) -> int:
        """How many batches to keep in flight now."""
        ...

    def submit(self, batch: list[RawItem]) -> Any:
        """Start analysing `batch`; returns a future-like handle."""
        ...

    def wait(self, handles: Collection[Any]) -> set[Any]:
        """Block until at least one handle is done; return those that are."""
        ...

    def result(self, handle: Any) -> list[Outcome]:
        """The outcomes of a finished batch; raises `WorkerDied` when its worker died."""
        ...

    def recover(self) -> None:
        """Start afresh after `WorkerDied(all_lost=True)`."""
        ...

    def close(self, finished: bool) -> None:
        """Stop; `finished` False (interrupted) cancels what is still in flight."""
        ...


# --- a local process pool ---------------------------------------------------------------------------------


def _start_local_worker(config: WorkerSetup, parent: int) -> None:
    # The parent alone handles Ctrl-C (stops handing out work, marks the run interrupted), so a worker
    # interrupted mid-article never turns it into a recorded failure; a worker whose parent is gone exits.
    start_worker_process(parent)
    worker.setup(config)


class LocalPool:
    """`workers` processes on this machine (spawned, not forked: the parent holds database connections and
    threads that a fork would copy)."""

    name = "local pool"

    def __init__(self, config: WorkerSetup, workers: int) -> None:
        self.config = config
        self.workers = workers
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_local_worker,
            initargs=(self.config, os.getpid()),
        )

    def capacity(self) -> int:
        return self.workers * AHEAD_PER_WORKER

    def submit(self, batch: list[RawItem]) -> Future[list[Outcome]]:
        return self.pool.submit(worker.process_batch, batch)

    def wait(self, handles: Collection[Any]) -> set[Any]:
        done, _ = wait(handles, return_when=FIRST_COMPLETED)
        return set(done)

    def result(self, handle: Any) -> list[Outcome]:
        try:
            outcomes: list[Outcome] = handle.result()
        except BrokenProcessPool:
            raise WorkerDied(all_lost=True) from None
        return outcomes

    def recover(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    def close(self, finished: bool) -> None:
        self.pool.shutdown(wait=finished, cancel_futures=True)
