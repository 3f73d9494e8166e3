"""The corpus runner: a local process pool analyses, the parent alone writes to the store.

Each worker process loads the pipeline once (its models included) and turns raw items into analyses; the
parent reads the sources (streaming), hands items out a few at a time, and stores each result in its own
transaction as it comes back. So a run killed at any moment (`kill -9` included) loses only the documents in
flight, and the next run over the same sources picks up where it stopped: a document already stored under
the same provenance key (same unspin version, detectors, models and options) is not analysed again unless
`force`, and a source that failed before is not retried unless `retry_failed`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Literal

from unspin.analysis import Analysis, document_id
from unspin.errors import UnspinError
from unspin.ingest.corpus import Failure, RawItem, iter_items
from unspin.options import Options, Runtime
from unspin.pipeline import Pipeline, document_origin, load_pipeline
from unspin.store import corpus as store

log = logging.getLogger(__name__)

# Items handed to the pool ahead of the results: enough to keep every worker busy, few enough that a kill
# loses little and memory stays flat however large the corpus.
AHEAD_PER_WORKER = 2
# Failures a summary lists (all are in the store).
MAX_LISTED_FAILURES = 10
# How often a worker checks that the process that started it is still there.
PARENT_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Outcome:
    """What a worker made of one item."""

    source: str
    status: Literal["analysed", "skipped", "failed"]
    document_id: str | None = None
    analysis: Analysis | None = None
    reason: str | None = None


@dataclass
class RunSummary:
    run_id: int
    store_url: str
    provenance_key: str
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    not_retried: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.stored + self.skipped + self.failed + self.not_retried

    @property
    def rate(self) -> float:
        return self.stored / self.seconds if self.seconds > 0 else 0.0


def pipeline_provenance(pipeline: Pipeline) -> dict[str, object]:
    """What decides this pipeline's findings, known before any document is analysed (the key of a run)."""
    return pipeline.provenance().model_dump()


# One pipeline per worker process, loaded by `_start_worker` and reused for every item the worker gets.
_worker: dict[str, object] = {}


def _start_worker(options: Options, runtime: Runtime, done: frozenset[str]) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (stops handing out work, marks the
    # run interrupted), so a worker interrupted mid-article never turns it into a recorded failure.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed outright (`kill -9`) cannot stop its pool, and a worker waiting for work never learns of
    # it (it holds the work queue's pipe open itself): each worker watches its parent and exits when it is gone.
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True, name="unspin-parent-watch").start()
    _worker.update(options=options, runtime=runtime, done=done)


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _pipeline() -> Pipeline:
    """The worker's pipeline, loaded at the first document that needs analysing (a resumed run that finds
    everything stored loads no model)."""
    pipeline = _worker.get("pipeline")
    if not isinstance(pipeline, Pipeline):
        options, runtime = _worker["options"], _worker["runtime"]
        assert isinstance(options, Options) and isinstance(runtime, Runtime)
        pipeline = _worker["pipeline"] = load_pipeline(options, runtime)
    return pipeline


def _process(item: RawItem) -> Outcome:
    """Ingest and analyse one item in a worker; every error becomes a failed outcome with its reason."""
    options = _worker["options"]
    done = _worker["done"]
    assert isinstance(options, Options) and isinstance(done, frozenset)
    try:
        ingested = item.ingest(options)
        document = ingested.document
        identity = document_id(document.text, document_origin(document))
        if identity in done:
            return Outcome(item.source, "skipped", identity)
        document = document.model_copy(update={"id": identity})
        analysis = _pipeline()(document, ingested.warnings, ingested.extraction)
    except UnspinError as exc:
        return Outcome(item.source, "failed", reason=str(exc))
    except Exception as exc:  # a bug met on one document must not end a run over thousands
        log.exception("internal error on %s", item.source)
        return Outcome(item.source, "failed", reason=f"internal error ({type(exc).__name__}: {exc})")
    return Outcome(item.source, "analysed", identity, analysis)


Progress = Callable[[RunSummary], None]


def count_items(sources: Iterable[str], options: Options) -> int:
    """How many items the sources hold (a reading pass without analysis, for the progress bar's ETA)."""
    return sum(1 for _ in iter_items(sources, options))


def run(
    sources: list[str],
    options: Options,
    runtime: Runtime,
    *,
    workers: int = 2,
    force: bool = False,
    retry_failed: bool = False,
    progress: Progress | None = None,
) -> RunSummary:
    """Analyse every article of `sources` into the store at `runtime.store`; see the module docstring."""
    items = iter_items(sources, options)  # a missing source fails here, before the store or the pool is touched
    engine = store.open_store(runtime.store)
    with load_pipeline(options, runtime) as probe:
        key = store.provenance_key(pipeline_provenance(probe))
    done = frozenset() if force else frozenset(store.stored_documents(engine, key))
    failed_before = set() if retry_failed else store.failed_sources(engine, key)
    run_id = store.start_run(engine, sources, key, options.findings_options(), workers)
    summary = RunSummary(run_id, runtime.store, key)
    began = time.perf_counter()
    # Each worker gets one inference thread: the pool, not the threads inside it, spreads the cores.
    worker_runtime = replace(runtime, threads=1)
    stored_now: set[str] = set()

    def settle(source: str, outcome: Outcome) -> None:
        if outcome.status == "skipped":
            summary.skipped += 1
        elif outcome.status == "failed" or outcome.analysis is None:
            reason = outcome.reason or "unknown"
            store.record_failure(engine, run_id, source, key, reason)
            summary.failed += 1
            if len(summary.failures) < MAX_LISTED_FAILURES:  # the store keeps them all; memory stays flat
                summary.failures.append((source, reason))
        elif outcome.document_id in stored_now:  # the same article twice in this run's sources
            summary.skipped += 1
        else:
            store.save_analysis(engine, outcome.analysis, key, source, run_id)
            stored_now.add(outcome.document_id or "")
            summary.stored += 1

    def report() -> None:
        summary.seconds = time.perf_counter() - began
        if progress is not None:
            progress(summary)

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            # spawn, not fork: the parent holds database connections and threads a fork would copy.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(options, worker_runtime, done),
        )

    status = "interrupted"
    pool = new_pool()
    pending: dict[Future[Outcome], str] = {}

    def collect(block_until_below: int) -> None:
        nonlocal pool
        while len(pending) > block_until_below:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in finished:
                source = pending.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken = True
                    outcome = Outcome(source, "failed", reason="the worker process died (out of memory or a crash)")
                settle(source, outcome)
                report()
            if broken:  # every item still in the broken pool is lost: record them and start a fresh pool
                for future, source in list(pending.items()):
                    pending.pop(future)
                    settle(source, Outcome(source, "failed", reason="the worker process died (out of memory or a crash)"))
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()

    try:
        for item in items:
            if item.source in failed_before:
                summary.not_retried += 1
                report()
                continue
            if isinstance(item, Failure):
                settle(item.source, Outcome(item.source, "failed", reason=item.reason))
                report()
                continue
            collect(block_until_below=workers * AHEAD_PER_WORKER - 1)
            pending[pool.submit(_process, item)] = item.source
        collect(block_until_below=0)
        status = "done"
    finally:
        summary.interrupted = status != "done"
        pool.shutdown(wait=status == "done", cancel_futures=True)
        summary.seconds = time.perf_counter() - began
        store.finish_run(engine, run_id, summary.stored, summary.skipped, summary.failed, status)
    return summary
