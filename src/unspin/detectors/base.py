"""The one interface every detector implements, and the context it reads."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from unspin.analysis import Analysis
from unspin.options import Options, Runtime

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Parsed:
    """A document after the shared NLP pass: what every detector reads.

    `analysis` holds the findings of the detectors that ran before (see `requires`). `runtime` carries what
    the caller handed in (the record source, the cache folder); `executor` is the pipeline's thread pool for
    model inference (None: run in the calling thread) and `threads` how many threads a detector's own model
    session may use here (one when it runs beside the spaCy parse). A detector never opens files, databases
    or sockets: what it needs comes through here.
    """

    analysis: Analysis
    doc: Doc
    options: Options = field(default_factory=Options)
    runtime: Runtime = field(default_factory=Runtime)
    executor: Executor | None = None
    threads: int = 1

    @property
    def text(self) -> str:
        return self.analysis.document.text


Findings = dict[str, list[Any]]


class Detector(Protocol):
    """A detector: a name, a versioned id stored with every result, what it reads and writes.

    `__call__` returns findings keyed by `Analysis` field names listed in `assigns`; the pipeline
    checks every offset against the document text before storing them. A detector may also set
    `reads_parse = False` to promise it never touches `parsed.doc`: it then runs alongside the spaCy parse,
    and `languages` (ISO 639-1 codes) to say which languages it can read: on others it is skipped and the
    analysis says so (`Analysis.skipped`), never reporting "none found".
    """

    name: str
    id: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, parsed: Parsed) -> Findings: ...
