"""The pipeline: ingest, one NLP pass, then each detector in turn, into one `Analysis`."""

from __future__ import annotations

import datetime as dt
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel

from unspin import detectors, nlp
from unspin.analysis import Analysis, DetectorRun, Document, Extraction, Provenance, Skipped, document_id
from unspin.arguments import check_source, resolve_options
from unspin.detectors.base import Detector, Findings, Parsed
from unspin.errors import BadOption
from unspin.options import Options, Runtime
from unspin.version import __version__

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


class OffsetError(ValueError):
    """A detector produced a span that does not land on the document text: a bug, never shifted silently."""


class Pipeline:
    """Detectors in running order, with the options they run under and the runtime they run on.

    The pipeline owns its thread pools (sized from `runtime.threads`); `close()` (or a `with` block) ends them.
    """

    def __init__(
        self, detector_list: list[Detector], options: Options | None = None, runtime: Runtime | None = None
    ) -> None:
        self.detectors = detector_list
        self.options = options or Options()
        self.runtime = runtime or Runtime()
        self._background: ThreadPoolExecutor | None = None
        self._inference: ThreadPoolExecutor | None = None

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.detectors]

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        for pool in (self._background, self._inference):
            if pool is not None:
                pool.shutdown(wait=True)
        self._background = self._inference = None

    def background_pool(self) -> ThreadPoolExecutor:
        """One thread for the parse-free detectors that run beside the spaCy parse."""
        if self._background is None:
            self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unspin-detector")
        return self._background

    def inference_pool(self) -> ThreadPoolExecutor | None:
        """Threads for model inference inside a detector (sentences encoded side by side); None for one thread."""
        if self.runtime.threads < 2:
            return None
        if self._inference is None:
            self._inference = ThreadPoolExecutor(max_workers=self.runtime.threads, thread_name_prefix="unspin-model")
        return self._inference

    def __call__(
        self,
        document: Document,
        warnings: list[str] | None = None,
        extraction: Extraction | None = None,
        parse: Doc | None = None,
    ) -> Analysis:
        """Analyse `document`. `parse` is spaCy's parse of `document.text` made beforehand (a corpus worker
        parses several documents in one `nlp.parse_many` call); without it the text is parsed here when a
        detector reads the parse."""
        if parse is not None and parse.text != document.text:
            raise OffsetError("the parse handed to the pipeline is not of the document's text")
        if document.id is None:
            document = document.model_copy(update={"id": document_id(document.text, document_origin(document))})
        analysis = Analysis(
            document=document,
            unspin_version=__version__,
            analysed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            extraction=extraction,
            warnings=list(warnings or []),
        )
        to_run = self._runnable(analysis)
        inference = self.inference_pool()
        threads = self.runtime.threads
        parse_free = [d for d in to_run if not getattr(d, "reads_parse", True) and not d.requires]
        # Detectors that never read the spaCy parse (and need no other detector) run on a second thread while
        # the parse and the other detectors run: model inference releases the GIL, so both cores work. With
        # nothing to run beside (`--only techniques`), they run here, with every thread.
        beside_parse = len(parse_free) < len(to_run)
        background: dict[str, Future[tuple[Findings, float]]] = {
            detector.name: self.background_pool().submit(
                _timed, detector, Parsed(analysis, cast("Doc", None), self.options, self.runtime, None, 1)
            )
            for detector in (parse_free if beside_parse else [])
        }
        by_name = {detector.name: detector for detector in to_run}

        def collect(name: str) -> None:
            findings, seconds = background.pop(name).result()
            self._store(by_name[name], findings, seconds, analysis)

        foreground = [detector for detector in to_run if detector.name not in background]
        parsed: Parsed | None = None
        for detector in foreground:
            for required in detector.requires:
                if required in background:
                    collect(required)
            if not getattr(detector, "reads_parse", True):
                findings, seconds = _timed(
                    detector, Parsed(analysis, cast("Doc", None), self.options, self.runtime, inference, threads)
                )
                self._store(detector, findings, seconds, analysis)
                continue
            if parsed is None:  # parse only when a detector reads it (`--only techniques` needs no parse)
                doc = parse if parse is not None else nlp.parse(document.text)
                parsed = Parsed(analysis, doc, self.options, self.runtime, inference, threads)
            findings, seconds = _timed(detector, parsed)
            self._store(detector, findings, seconds, analysis)
        for name in list(background):
            collect(name)
        order = {name: index for index, name in enumerate(self.names)}
        analysis.detectors.sort(key=lambda run: order[run.name])
        analysis.provenance = self._provenance(analysis)
        return analysis

    def reads_parse(self, document: Document) -> bool:
        """Whether analysing `document` needs its spaCy parse (a detector that reads it can read its language)."""
        probe = Analysis(document=document, unspin_version=__version__)
        return any(getattr(detector, "reads_parse", True) for detector in self._runnable(probe))

    def _runnable(self, analysis: Analysis) -> list[Detector]:
        """The detectors that can read this document; the others, and those not asked for, are recorded as
        skipped so that no output reports "none found" for what was not analysed."""
        language = analysis.document.language
        runnable: list[Detector] = []
        unable: set[str] = set()
        for detector in self.detectors:
            languages: tuple[str, ...] | None = getattr(detector, "languages", None)
            if language and languages is not None and language not in languages:
                read = "undetermined" if language == "und" else repr(language)
                reason = (
                    f"not analysed: the text's language is {read}, and this detector reads only {', '.join(languages)}"
                )
            elif unable.intersection(detector.requires):
                missing = ", ".join(sorted(unable.intersection(detector.requires)))
                reason = f"not analysed: it needs {missing}, which did not run"
            else:
                runnable.append(detector)
                continue
            unable.add(detector.name)
            analysis.skipped.append(Skipped(detector=detector.name, reason=reason))
        chosen = set(self.names)
        for name in detectors.available():
            if name in chosen:
                continue
            reason = "not analysed: left out by --skip" if name in self.options.skip else "not analysed: not in --only"
            analysis.skipped.append(Skipped(detector=name, reason=reason))
        return runnable

    def _provenance(self, analysis: Analysis) -> Provenance:
        return self.provenance({run.name for run in analysis.detectors})

    def provenance(self, ran: set[str] | None = None) -> Provenance:
        """What decides the findings of the detectors in `ran` (default: every detector of the pipeline), known
        before any document is analysed: a corpus run keys stored analyses by it."""
        ran = set(self.names) if ran is None else ran
        return Provenance(
            unspin_version=__version__,
            detectors={detector.name: detector.id for detector in self.detectors if detector.name in ran},
            models=_model_ids(self.detectors, ran),
            options=self.options.findings_options(),
        )

    @staticmethod
    def _store(detector: Detector, findings: Findings, seconds: float, analysis: Analysis) -> None:
        for field, values in findings.items():
            if field not in detector.assigns:
                raise OffsetError(f"detector {detector.name!r} returned {field!r}, not in its assigns")
            for value in values:
                check_offsets(value, len(analysis.document.text), detector.name)
            setattr(analysis, field, values)
        analysis.detectors.append(DetectorRun(name=detector.name, id=detector.id, seconds=round(seconds, 4)))


def document_origin(document: Document) -> str | None:
    """What, besides the text, tells two documents apart: the page URL, else the file's name (not its folder,
    so the same file gives the same id on any machine); nothing for standard input or a string."""
    if document.url:
        return document.url
    if document.source and document.source_kind in ("text", "html"):
        return Path(document.source).name
    return None


def _model_ids(detector_list: list[Detector], ran: set[str]) -> dict[str, str]:
    """Model ids of the detectors that ran (and the spaCy pipeline when a detector read it)."""
    ids: dict[str, str] = {}
    for detector in detector_list:
        if detector.name not in ran:
            continue
        if getattr(detector, "reads_parse", True):
            ids["spacy"] = nlp.model_id()
        model_ids: dict[str, str] | None = getattr(detector, "model_ids", None)
        if model_ids:
            ids.update(model_ids)
    return ids


def _timed(detector: Detector, parsed: Parsed) -> tuple[Findings, float]:
    began = time.perf_counter()
    findings = detector(parsed)
    return findings, time.perf_counter() - began


def check_offsets(value: Any, length: int, detector: str) -> None:
    """Every `start`/`end` pair, nested ones included, must lie within the text."""
    if not isinstance(value, BaseModel):
        return
    start, end = getattr(value, "start", None), getattr(value, "end", None)
    if isinstance(start, int) and isinstance(end, int) and not 0 <= start <= end <= length:
        raise OffsetError(f"detector {detector!r} produced span [{start}, {end}) outside text of length {length}")
    for name in type(value).model_fields:
        child = getattr(value, name)
        if isinstance(child, BaseModel):
            check_offsets(child, length, detector)
        elif isinstance(child, list):
            for item in child:
                check_offsets(item, length, detector)


def load_pipeline(options: Options | None = None, runtime: Runtime | None = None) -> Pipeline:
    """Build the pipeline the options ask for; detectors (and their models) load once per process."""
    options = resolve_options(options, {})
    runtime = runtime or Runtime()
    if options.records is not None and runtime.record_source is None:
        from unspin.crosscheck.sources import CsvRecords

        runtime = runtime.with_records(CsvRecords(options.records))
    names = detectors.resolve(options.only, options.skip)
    return Pipeline([detectors.create(name) for name in names], options, runtime)


def analyze(
    source: str | Path | Document,
    options: Options | None = None,
    runtime: Runtime | None = None,
    **option_values: Any,
) -> Analysis:
    """Analyse one article: a path, a URL, '-' for stdin, or a `Document` already made.

    Keyword arguments are `Options` fields (`only=("techniques",)`, `published=date(2024, 5, 1)` ...).
    `runtime` says how and where to run (threads, record source for cross-checking events); by default
    events are cross-checked only against `options.records`, never against a store nobody named.
    """
    from unspin import ingest

    check_source(source)
    options = resolve_options(options, option_values)
    if runtime is not None and not isinstance(runtime, Runtime):
        raise BadOption(f"runtime must be an unspin.Runtime, not {type(runtime).__name__}")
    ingested = ingest.Ingested(source) if isinstance(source, Document) else ingest.read(source, options)
    with load_pipeline(options, runtime) as pipeline:
        return pipeline(ingested.document, ingested.warnings, ingested.extraction)
