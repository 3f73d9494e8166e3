"""The one interface every detector implements, and the context it reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from unspin.analysis import Analysis
from unspin.options import Options

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Parsed:
    """A document after the shared NLP pass: what every detector reads.

    `analysis` holds the findings of the detectors that ran before (see `requires`).
    """

    analysis: Analysis
    doc: Doc
    options: Options = field(default_factory=Options)

    @property
    def text(self) -> str:
        return self.analysis.document.text


Findings = dict[str, list[Any]]


class Detector(Protocol):
    """A detector: a name, a versioned id stored with every result, what it reads and writes.

    `__call__` returns findings keyed by `Analysis` field names listed in `assigns`; the pipeline
    checks every offset against the document text before storing them. A detector may also set
    `reads_parse = False` to promise it never touches `parsed.doc`: it then runs alongside the spaCy parse.
    """

    name: str
    id: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, parsed: Parsed) -> Findings: ...
