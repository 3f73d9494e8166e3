"""The pipeline: ingest, one NLP pass, then each detector in turn, into one `Analysis`."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from unspin import detectors, nlp
from unspin.analysis import Analysis, DetectorRun, Document
from unspin.detectors.base import Detector, Parsed
from unspin.options import Options
from unspin.version import __version__

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
        parsed = Parsed(analysis=analysis, doc=nlp.parse(document.text), options=self.options)
        for detector in self.detectors:
            began = time.perf_counter()
            findings = detector(parsed)
            for field, values in findings.items():
                if field not in detector.assigns:
                    raise OffsetError(f"detector {detector.name!r} returned {field!r}, not in its assigns")
                for value in values:
                    check_offsets(value, len(document.text), detector.name)
                setattr(analysis, field, values)
            seconds = round(time.perf_counter() - began, 4)
            analysis.detectors.append(DetectorRun(name=detector.name, id=detector.id, seconds=seconds))
        return analysis


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
    options = options or Options()
    names = detectors.resolve(options.only, options.skip)
    return Pipeline([detectors.create(name) for name in names], options)


def analyze(source: str | Path | Document, options: Options | None = None, **option_values: Any) -> Analysis:
    """Analyse one article: a path, a URL, '-' for stdin, or a `Document` already made.

    Keyword arguments are `Options` fields (`only=("techniques",)`, `published=date(2024, 5, 1)` ...).
    """
    from unspin import ingest

    if options is None:
        options = Options(**option_values)
    elif option_values:
        options = options.model_copy(update=option_values)
    warnings: list[str] = []
    if isinstance(source, Document):
        document = source
    else:
        document, warnings = ingest.load(source, options)
    return load_pipeline(options)(document, warnings)
