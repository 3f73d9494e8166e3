"""The corpus runner: workers analyse, the parent alone reads the sources and writes to the store.

One runner, two places to run: a local process pool (`corpus.executors.LocalPool`) or a Dask cluster
(`corpus.cluster.DaskCluster`), both running `corpus.worker` in worker processes that load the pipeline (its
models included) once each. The parent reads the sources (streaming), hands out small batches of items with a
bounded number in flight (memory stays flat whatever the corpus size), and stores each result in its own
transaction as it comes back. So a run killed at any moment (`kill -9` included) loses only the documents in
flight, and the next run over the same sources picks up where it stopped: a document already stored under the
same provenance key (same unspin version, detectors, models and options) is not analysed again unless `force`,
and a source that failed before is not retried unless `retry_failed`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from unspin.analysis import Analysis
from unspin.corpus.executors import AHEAD_PER_WORKER, BatchExecutor, LocalPool, WorkerDied
from unspin.corpus.worker import WORKER_DIED, Outcome, WorkerSetup
from unspin.ingest.corpus import Failure, RawItem, iter_items
from unspin.options import Options, Runtime
from unspin.pipeline import Pipeline, load_pipeline
from unspin.store import corpus as store

log = logging.getLogger(__name__)

# Items a batch holds at most, and the raw bytes after which it is closed early: a worker's spaCy pass runs
# over a batch at once (less CPU per article), while a batch stays small enough that a kill loses little.
BATCH_ITEMS = 4
BATCH_BYTES = 400_000
# Failures a summary lists (all are in the store).
MAX_LISTED_FAILURES = 10


@dataclass
class RunSummary:
    run_id: int
    store_url: str
    provenance_key: str
    executor: str = "local pool"
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
    dask: str | None = None,
) -> RunSummary:
    """Analyse every article of `sources` into the store at `runtime.store`; see the module docstring.

    `workers` sizes the local pool, or with `dask="local"` a Dask `LocalCluster`; `dask` another address
    (`tcp://host:8786`) runs on the workers of the scheduler there."""
    items = iter_items(sources, options)  # a missing source fails here, before the store or the pool is touched
    engine = store.open_store(runtime.store)
    with load_pipeline(options, runtime) as probe:
        key = store.provenance_key(pipeline_provenance(probe))
    done = frozenset() if force else frozenset(store.stored_documents(engine, key))
    failed_before = set() if retry_failed else store.failed_sources(engine, key)
    # Each worker gets one inference thread: the workers, not threads inside them, spread the cores.
    config = WorkerSetup(options, replace(runtime, threads=1), done, key)
    executor: BatchExecutor
    if dask is None:
        executor = LocalPool(config, workers)
    else:
        from unspin.corpus.cluster import DaskCluster  # imports dask.distributed: only when asked for

        executor = DaskCluster(config, dask, workers)
    run_id = store.start_run(engine, sources, key, options.findings_options(), executor.capacity() // AHEAD_PER_WORKER)
    summary = RunSummary(run_id, runtime.store, key, executor.name)
    began = time.perf_counter()
    stored_now: set[str] = set()

    def settle(outcome: Outcome) -> None:
        if outcome.status == "skipped":
            summary.skipped += 1
        elif outcome.status == "failed" or outcome.analysis_json is None:
            reason = outcome.reason or "unknown"
            store.record_failure(engine, run_id, outcome.source, key, reason)
            summary.failed += 1
            if len(summary.failures) < MAX_LISTED_FAILURES:  # the store keeps them all; memory stays flat
                summary.failures.append((outcome.source, reason))
        elif outcome.document_id in stored_now:  # the same article twice in this run's sources
            summary.skipped += 1
        else:
            analysis = Analysis.model_validate_json(outcome.analysis_json)
            store.save_analysis(engine, analysis, key, outcome.source, run_id)
            stored_now.add(outcome.document_id or "")
            summary.stored += 1
        report()

    def report() -> None:
        summary.seconds = time.perf_counter() - began
        if progress is not None:
            progress(summary)

    pending: dict[Any, list[RawItem]] = {}  # batches in flight, with their items

    def collect(block_until_below: int) -> None:
        while len(pending) > block_until_below:
            for handle in executor.wait(pending):
                batch = pending.pop(handle)
                try:
                    outcomes = executor.result(handle)
                except WorkerDied as died:
                    if died.all_lost:  # a local pool broke: every batch in flight is lost with it
                        lost = batch + [item for other in list(pending) for item in pending.pop(other)]
                        executor.recover()
                        quarantine(lost)
                    elif len(batch) == 1:  # a cluster tried this item on several workers, and each died
                        settle(Outcome(batch[0].source, "failed", reason=WORKER_DIED))
                    else:  # sent again one by one, so that only the item that kills a worker is blamed
                        for item in batch:
                            pending[executor.submit([item])] = [item]
                    break  # `pending` changed under the loop: wait again
                for outcome in outcomes:
                    settle(outcome)

    def quarantine(items: list[RawItem]) -> None:
        """The items a broken pool lost, again, one at a time with nothing else in flight: a worker that dies
        now dies of that item, which is recorded as failed; the innocent ones lost with it are analysed."""
        for item in items:
            handle = executor.submit([item])
            executor.wait([handle])
            try:
                outcomes = executor.result(handle)
            except WorkerDied:
                executor.recover()
                outcomes = [Outcome(item.source, "failed", reason=WORKER_DIED)]
            for outcome in outcomes:
                settle(outcome)

    status = "interrupted"
    try:
        for batch in _batches(items, failed_before, summary, settle, report):
            collect(block_until_below=executor.capacity() - 1)
            pending[executor.submit(batch)] = batch
        collect(block_until_below=0)
        status = "done"
    finally:
        summary.interrupted = status != "done"
        executor.close(finished=status == "done")
        summary.seconds = time.perf_counter() - began
        store.finish_run(engine, run_id, summary.stored, summary.skipped, summary.failed, status)
    return summary


def _batches(
    items: Iterable[RawItem | Failure],
    failed_before: set[str],
    summary: RunSummary,
    settle: Callable[[Outcome], None],
    report: Callable[[], None],
) -> Iterator[list[RawItem]]:
    """The items to analyse in batches of at most `BATCH_ITEMS` items or about `BATCH_BYTES` raw bytes;
    unreadable items are settled as failures and earlier failures counted as not retried on the way."""
    batch: list[RawItem] = []
    size = 0
    for item in items:
        if item.source in failed_before:
            summary.not_retried += 1
            report()
            continue
        if isinstance(item, Failure):
            settle(Outcome(item.source, "failed", reason=item.reason))
            continue
        batch.append(item)
        size += len(item.data)
        if len(batch) >= BATCH_ITEMS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
