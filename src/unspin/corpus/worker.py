"""The worker side of a corpus run: the same code in a local pool's processes and on Dask workers.

A worker process is set up once per run (`setup`: the options, the runtime, the ids already stored), loads the
pipeline at the first document that needs analysing, and turns a batch of raw items into outcomes. What
travels back is compact: the analysis as its JSON text (what the store keeps), not a Python object, so the
parent's share of the work stays small and the payload reads the same on any machine.

A batch is parsed by spaCy in one `nlp.parse_many` call (several texts through each step at once); every
detector then reads each document's own parse, so the findings are those of analysing the documents one by one.
"""

from __future__ import annotations

import gc
import logging
import socket
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from unspin import nlp
from unspin.analysis import document_id
from unspin.deadline import seconds_for, time_limit
from unspin.errors import ClusterError, UnspinError
from unspin.options import Options, Runtime
from unspin.pipeline import Pipeline, document_origin, load_pipeline
from unspin.store.corpus import provenance_key
from unspin.version import __version__

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from unspin.analysis import Document
    from unspin.ingest import Ingested
    from unspin.ingest.corpus import RawItem

log = logging.getLogger(__name__)

WORKER_DIED = "the worker process died (out of memory or a crash)"


@dataclass(frozen=True)
class Outcome:
    """What a worker made of one item: the analysis JSON when analysed, the reason when failed."""

    source: str
    status: Literal["analysed", "skipped", "failed"]
    document_id: str | None = None
    analysis_json: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker of one run needs: the same for all of them, handed over once per worker process."""

    options: Options
    runtime: Runtime
    done: frozenset[str]  # ids of the documents stored under this run's provenance key (skipped unless --force)
    provenance_key: str = ""  # the run's: a worker whose pipeline has another (another unspin version) refuses


@dataclass
class _Worker:
    setup: WorkerSetup
    pipeline: Pipeline | None = None
    frozen: bool = False


# The run this process works for, set by `setup`; one process serves one run at a time.
_current: _Worker | None = None
# Dask may run tasks on several threads of one worker process: the pipeline analyses one batch at a time.
_lock = threading.Lock()


def setup(config: WorkerSetup) -> None:
    """Make this process a worker of the run `config` describes (the pipeline loads at first use)."""
    global _current
    with _lock:
        if _current is not None and _current.pipeline is not None:
            _current.pipeline.close()
        _current = _Worker(config)


def teardown() -> None:
    global _current
    with _lock:
        if _current is not None and _current.pipeline is not None:
            _current.pipeline.close()
        _current = None


def process_batch(items: list[RawItem]) -> list[Outcome]:
    """Ingest and analyse a batch of items, one outcome per item in the same order; every error met on one
    document becomes that document's failed outcome with its reason, and the others go on. A worker that
    cannot serve the run (it runs another unspin than the parent) raises `ClusterError` instead."""
    with _lock:
        if _current is None:
            raise RuntimeError("corpus worker used before setup")
        return _process(_current, items)


def _process(worker: _Worker, items: list[RawItem]) -> list[Outcome]:
    options, done = worker.setup.options, worker.setup.done
    outcomes: list[Outcome | None] = [None] * len(items)
    ready: list[tuple[int, Ingested]] = []
    for index, item in enumerate(items):
        try:
            ingested = item.ingest(options)
            document = ingested.document
            identity = document_id(document.text, document_origin(document))
            if identity in done:
                outcomes[index] = Outcome(item.source, "skipped", identity)
                continue
            ingested.document = document.model_copy(update={"id": identity})
            ready.append((index, ingested))
        except Exception as exc:
            outcomes[index] = _failed(item.source, exc)
    if ready:
        pipeline = _pipeline(worker)
        parses = _parses(pipeline, [ingested.document for _, ingested in ready])
        for (index, ingested), parse in zip(ready, parses, strict=True):
            source = items[index].source
            try:
                # A document whose analysis loops fails alone (exit code 16's reason); the worker and run go on.
                # (On a Dask worker, whose tasks run on threads, no timer applies: see unspin.deadline.)
                with time_limit(seconds_for(len(ingested.document.text))):
                    analysis = pipeline(ingested.document, ingested.warnings, ingested.extraction, parse=parse)
                outcomes[index] = Outcome(source, "analysed", analysis.document.id, analysis.to_json(indent=None))
            except Exception as exc:
                outcomes[index] = _failed(source, exc)
        if not worker.frozen:
            # The models are loaded now (lazily, by the first analysis): keep their millions of objects out of
            # every later garbage collection, which would otherwise walk them all again and again.
            gc.collect()
            gc.freeze()
            worker.frozen = True
    return [
        outcome or Outcome(item.source, "failed", reason="not processed")
        for item, outcome in zip(items, outcomes, strict=True)
    ]


def _pipeline(worker: _Worker) -> Pipeline:
    """The worker's pipeline, loaded at the first document that needs analysing (a resumed run that finds
    everything stored loads no model)."""
    if worker.pipeline is None:
        pipeline = load_pipeline(worker.setup.options, worker.setup.runtime)
        key = provenance_key(pipeline.provenance().model_dump())
        if worker.setup.provenance_key and key != worker.setup.provenance_key:
            pipeline.close()
            raise ClusterError(
                f"the worker on {socket.gethostname()} runs unspin {__version__} with other detectors or models than "
                "the run (another provenance key): install the same unspin on every machine"
            )
        worker.pipeline = pipeline
    return worker.pipeline


def _parses(pipeline: Pipeline, documents: list[Document]) -> list[Doc | None]:
    """spaCy's parses of the documents that need one, made together; None where the pipeline parses by itself
    (no detector reads the parse, or batching failed: then each document meets its own error alone)."""
    wanted = [index for index, document in enumerate(documents) if pipeline.reads_parse(document)]
    parses: list[Doc | None] = [None] * len(documents)
    if len(wanted) < 2:
        return parses
    try:
        for index, doc in zip(wanted, nlp.parse_many([documents[index].text for index in wanted]), strict=True):
            parses[index] = doc
    except Exception:
        log.warning("batched parse failed; parsing the documents one by one", exc_info=True)
        return [None] * len(documents)
    return parses


def _failed(source: str, exc: Exception) -> Outcome:
    if isinstance(exc, UnspinError):
        return Outcome(source, "failed", reason=str(exc))
    # A bug met on one document must not end a run over thousands.
    log.error("internal error on %s", source, exc_info=exc)
    return Outcome(source, "failed", reason=f"internal error ({type(exc).__name__}: {exc})")
