"""The pipeline: ingest, one NLP pass, then each detector in turn, into one `Analysis`."""

from __future__ import annotations

import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel

from unspin import detectors, nlp
from unspin.analysis import Analysis, DetectorRun, Document
from unspin.arguments import check_source, resolve_options
from unspin.detectors.base import Detector, Findings, Parsed
from unspin.options import Options
from unspin.version import __version__

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


class OffsetError(ValueError):
    """A detector produced a span that does not land on the document text: a bug, never shifted silently."""


class Pipeline:
    def __init__(self, detector_list: list[Detector], options: Options | None = None) -> None:
        self.detectors = detector_list
        self.options = options or Options()

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.detectors]

    def __call__(self, document: Document, warnings: list[str] | None = None) -> Analysis:
        analysis = Analysis(document=document, unspin_version=__version__, warnings=list(warnings or []))
        # Detectors that never read the spaCy parse (and need no other detector) run on a second thread while
        # the parse and the other detectors run: model inference releases the GIL, so both cores work.
        background = {
            detector.name: _pool().submit(_timed, detector, Parsed(analysis, cast("Doc", None), self.options))
            for detector in self.detectors
            if not getattr(detector, "reads_parse", True) and not detector.requires
        }
        by_name = {detector.name: detector for detector in self.detectors}

        def collect(name: str) -> None:
            findings, seconds = background.pop(name).result()
            self._store(by_name[name], findings, seconds, analysis)

        parsed = Parsed(analysis=analysis, doc=nlp.parse(document.text), options=self.options)
        for detector in self.detectors:
            if detector.name in background or detector.name in {run.name for run in analysis.detectors}:
                continue
            for required in detector.requires:
                if required in background:
                    collect(required)
            findings, seconds = _timed(detector, parsed)
            self._store(detector, findings, seconds, analysis)
        for name in list(background):
            collect(name)
        order = {name: index for index, name in enumerate(self.names)}
        analysis.detectors.sort(key=lambda run: order[run.name])
        return analysis

    @staticmethod
    def _store(detector: Detector, findings: Findings, seconds: float, analysis: Analysis) -> None:
        for field, values in findings.items():
            if field not in detector.assigns:
                raise OffsetError(f"detector {detector.name!r} returned {field!r}, not in its assigns")
            for value in values:
                check_offsets(value, len(analysis.document.text), detector.name)
            setattr(analysis, field, values)
        analysis.detectors.append(DetectorRun(name=detector.name, id=detector.id, seconds=round(seconds, 4)))


def _timed(detector: Detector, parsed: Parsed) -> tuple[Findings, float]:
    began = time.perf_counter()
    findings = detector(parsed)
    return findings, time.perf_counter() - began


@functools.cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="unspin-detector")


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


def load_pipeline(options: Options | None = None) -> Pipeline:
    """Build the pipeline the options ask for; detectors (and their models) load once per process."""
    options = resolve_options(options, {})
    names = detectors.resolve(options.only, options.skip)
    return Pipeline([detectors.create(name) for name in names], options)


def analyze(source: str | Path | Document, options: Options | None = None, **option_values: Any) -> Analysis:
    """Analyse one article: a path, a URL, '-' for stdin, or a `Document` already made.

    Keyword arguments are `Options` fields (`only=("techniques",)`, `published=date(2024, 5, 1)` ...).
    """
    from unspin import ingest

    check_source(source)
    options = resolve_options(options, option_values)
    warnings: list[str] = []
    if isinstance(source, Document):
        document = source
    else:
        document, warnings = ingest.load(source, options)
    return load_pipeline(options)(document, warnings)
