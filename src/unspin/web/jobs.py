"""Analyses run in a pool of worker processes, so a long article never blocks another user's request.

Each worker loads the pipeline (its models included) once and analyses what it is handed; the server process
alone writes to the store, as in corpus mode (`unspin.corpus.runner`): each finished analysis is saved in its
own transaction under the provenance key of the server's run. A job is known by a random id; its status is
kept for the last `MAX_JOBS` jobs only, so the server's memory stays flat however many analyses it serves.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from sqlalchemy import Engine

from unspin.analysis import Analysis
from unspin.deadline import seconds_for, time_limit
from unspin.errors import BadOption, UnspinError
from unspin.ingest import document_from_bytes
from unspin.ingest.url import check_url, is_url
from unspin.options import Options, Runtime
from unspin.pipeline import Pipeline, load_pipeline
from unspin.workers import start_worker_process

log = logging.getLogger(__name__)

MAX_JOBS = 1_000  # finished jobs remembered (their analyses are in the store)
# Where the server's own run is recorded as coming from.
RUN_SOURCE = "unspin serve"

InputKind = Literal["text", "html", "url"]
JobState = Literal["running", "done", "failed"]


@dataclass(frozen=True)
class Submission:
    """One article to analyse: pasted text, HTML (pasted or uploaded) or a URL to fetch."""

    kind: InputKind
    content: bytes | str
    name: str  # how the source is named in the report and the store ("pasted text", the upload's file name, the URL)

    def __post_init__(self) -> None:
        # Ingest reads a source that is no http(s) URL as a path on this machine: a "URL" must never be one.
        if self.kind == "url" and not (isinstance(self.content, str) and is_url(self.content)):
            shown = str(self.content)[:200]
            raise BadOption(f"{shown!r} is not a web address: give an http:// or https:// URL")


@dataclass
class Job:
    id: str
    name: str
    state: JobState = "running"
    submitted: float = field(default_factory=time.monotonic)
    finished: float | None = None
    analysis_id: int | None = None
    document_id: str | None = None
    error: str | None = None
    exit_code: int | None = None
    error_type: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_json(self, ahead: int = 0) -> dict[str, Any]:
        """The job's status as the polling page reads it; `ahead` is how many analyses wait before it for a
        free worker (0: it is being analysed)."""
        elapsed = (self.finished or time.monotonic()) - self.submitted
        body: dict[str, Any] = {"id": self.id, "state": self.state, "name": self.name, "seconds": round(elapsed, 1)}
        if self.state == "running":
            body["ahead"] = ahead
        if self.state == "done":
            body.update(document_id=self.document_id, report=f"/analyses/{self.id}/report", warnings=self.warnings)
        if self.state == "failed":
            body["error"] = {"message": self.error, "exit_code": self.exit_code, "type": self.error_type}
        return body


@dataclass(frozen=True)
class Outcome:
    """What a worker made of a submission: an analysis, or the user's error (message and exit code)."""

    analysis: Analysis | None = None
    error: str | None = None
    exit_code: int | None = None
    error_type: str | None = None


# --------------------------------------------------------------------------------------------- worker side

_worker: dict[str, Any] = {}


def _start_worker(options: Options, runtime: Runtime, preload: bool, parent: int) -> None:
    start_worker_process(parent)  # the server alone handles Ctrl-C and shuts the pool down
    _worker.update(options=options, runtime=runtime)
    if preload:
        try:
            _warm_up()
        except Exception:  # a missing model fails the first real analysis again, with its own message
            log.exception("could not load the models in a worker")


# A paragraph that every detector reads (English, numbers, a quote, a place, a date): analysing it loads them all.
WARM_UP_TEXT = (
    "The transport minister said on Monday that the new bridge over the river in Lyon will open in March, two "
    "years later than planned. Engineers found cracks in two of its supports last spring, and repairs cost the "
    'city about 14 million euros, according to the council. "We were promised a bridge, not a building site," '
    "one shop owner told reporters."
)


def _warm_up() -> None:
    """Load every model now (the first real article would otherwise wait for them)."""
    pipeline = _pipeline()
    ingested = document_from_bytes(WARM_UP_TEXT.encode("utf-8"), "warm-up", "string", _options())
    pipeline(ingested.document, ingested.warnings, ingested.extraction)


def _ready() -> None:
    """Nothing: submitted once per worker at start, so that every worker starts (and loads its models)."""


def _options() -> Options:
    options = _worker["options"]
    assert isinstance(options, Options)
    return options


def _pipeline() -> Pipeline:
    pipeline = _worker.get("pipeline")
    if not isinstance(pipeline, Pipeline):
        runtime = _worker["runtime"]
        assert isinstance(runtime, Runtime)
        pipeline = _worker["pipeline"] = load_pipeline(_options(), runtime)
    return pipeline


def _analyse(submission: Submission) -> Outcome:
    """Ingest and analyse one submission in a worker; a user's error comes back as an outcome, not a crash."""
    from unspin import ingest

    options = _options()
    try:
        if submission.kind == "url":
            assert isinstance(submission.content, str)
            check_url(submission.content)  # only http(s): never a path read from this machine
            ingested = ingest.read(submission.content, options)
        else:
            data = submission.content.encode("utf-8") if isinstance(submission.content, str) else submission.content
            kind: Literal["text", "html"] = submission.kind
            ingested = document_from_bytes(data, submission.name, kind, options, is_html=kind == "html")
        with time_limit(seconds_for(len(ingested.document.text))):  # a looping document fails, the worker lives
            analysis = _pipeline()(ingested.document, ingested.warnings, ingested.extraction)
    except UnspinError as exc:
        return Outcome(error=str(exc), exit_code=exc.exit_code, error_type=type(exc).__name__)
    return Outcome(analysis=analysis)


# --------------------------------------------------------------------------------------------- server side


class Busy(UnspinError):
    """More analyses are waiting than the server queues; the client should retry later (HTTP 503)."""

    exit_code = 12


class JobQueue:
    """The worker pool, the jobs' statuses, and the server's run in the store."""

    def __init__(self, options: Options, runtime: Runtime, workers: int, queue_limit: int, preload: bool) -> None:
        self.options = options
        self.runtime = replace(runtime, threads=1)  # the pool, not threads inside a worker, spreads the cores
        self.workers = workers
        self.queue_limit = queue_limit
        self.preload = preload
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.pending = 0
        self.stored = 0
        self.failed = 0
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._engine: Engine | None = None
        self._run_id: int | None = None
        self._key = ""

    # lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        from unspin.store import corpus as store

        self._engine = store.open_store(self.runtime.store)
        with load_pipeline(self.options, self.runtime) as probe:
            self._key = store.provenance_key(probe.provenance().model_dump())
        self._run_id = store.start_run(
            self._engine, [RUN_SOURCE], self._key, self.options.findings_options(), self.workers
        )
        self._pool = self._new_pool()
        if self.preload:
            # The pool starts its processes on demand: one small task per worker starts them all now, and each
            # loads its models while the server is still idle.
            for _ in range(self.workers):
                self._pool.submit(_ready)

    def close(self) -> None:
        from unspin.store import corpus as store

        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._engine is not None and self._run_id is not None:
            store.finish_run(self._engine, self._run_id, self.stored, 0, self.failed, "done")
            self._run_id = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            # spawn, not fork: the server holds sockets, database connections and threads a fork would copy.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.options, self.runtime, self.preload, os.getpid()),
        )

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("the job queue is not started")
        return self._engine

    # jobs ----------------------------------------------------------------------------------------------

    def submit(self, submission: Submission) -> tuple[Job, Future[Outcome]]:
        """Queue an analysis; the job is done (its analysis stored) when the returned future is."""
        with self._lock:
            if self._pool is None:
                raise RuntimeError("the job queue is not started")
            if self.pending >= self.queue_limit:
                raise Busy(f"{self.pending} analyses are waiting already; try again in a minute")
            job = Job(secrets.token_urlsafe(16), submission.name)
            self.jobs[job.id] = job
            self._forget_old()
            self.pending += 1
            try:
                future = self._pool.submit(_analyse, submission)
            except BrokenProcessPool:
                self._pool = self._new_pool()
                future = self._pool.submit(_analyse, submission)
            pool = self._pool
        done: Future[Outcome] = Future()
        future.add_done_callback(lambda finished: self._settle(job, finished, done, pool))
        return job, done

    def _settle(self, job: Job, finished: Future[Outcome], done: Future[Outcome], pool: ProcessPoolExecutor) -> None:
        """Runs in the pool's result thread: store the analysis (the server is the store's only writer)."""
        from unspin.store import corpus as store

        try:
            outcome = finished.result()
        except CancelledError:  # the server stopped before a worker took it
            outcome = Outcome(error="the server stopped before analysing it", exit_code=1)
        except BrokenProcessPool:
            outcome = Outcome(error="the worker process died (out of memory or a crash)", exit_code=1)
            with self._lock:
                if self._pool is pool:  # the first of the broken pool's jobs replaces it; the others find it replaced
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._new_pool()
        except BaseException as exc:  # a bug in a worker: logged, answered as an internal error
            log.error("internal error analysing %s: %s: %s", job.name, type(exc).__name__, exc)
            outcome = Outcome(error=f"internal error ({type(exc).__name__})", exit_code=1)
        if outcome.analysis is not None:
            try:
                analysis = outcome.analysis
                job.analysis_id = store.save_analysis(self.engine, analysis, self._key, job.name, self._run_id)
                job.document_id = analysis.document.id
                job.warnings = list(analysis.warnings)
                with self._lock:
                    self.stored += 1
            except Exception as exc:
                log.exception("could not store the analysis of %s", job.name)
                outcome = Outcome(error=f"could not store the analysis ({type(exc).__name__})", exit_code=1)
        if outcome.analysis is None or job.analysis_id is None:
            job.state, job.error, job.exit_code = "failed", outcome.error, outcome.exit_code
            job.error_type = outcome.error_type
            with self._lock:
                self.failed += 1
        else:
            job.state = "done"
        job.finished = time.monotonic()
        with self._lock:
            self.pending -= 1
        done.set_result(outcome)

    def _forget_old(self) -> None:
        while len(self.jobs) > MAX_JOBS:
            oldest = next(iter(self.jobs))
            if self.jobs[oldest].state == "running":
                break
            self.jobs.popitem(last=False)

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def status(self, job: Job) -> dict[str, Any]:
        """The job's status with its place in the queue: the pool takes jobs in the order they came, so the
        jobs still running that came before it, less the workers, are waiting ahead of it."""
        ahead = 0
        if job.state == "running":
            with self._lock:
                earlier = 0
                for other in self.jobs.values():  # in the order they came
                    if other is job:
                        break
                    earlier += other.state == "running"
            ahead = max(0, earlier - self.workers + 1)
        return job.as_json(ahead)

    async def run(self, submission: Submission) -> tuple[Job, Outcome]:
        """Submit and wait, without blocking the event loop."""
        job, done = self.submit(submission)
        outcome = await asyncio.wrap_future(done)
        return job, outcome
