"""Dates: every time expression in the document, resolved against the publication date (parsing and resolution:
`unspin.text.dates`).

The anchor is `--published` (`Options.published`), else the document's metadata date, else inferred from
the text (the latest full date it states, e.g. a dateline): then `document.published` is set to it with
`published_source` "inferred", and every relative date resolved against it is marked `inferred`.
"""

from __future__ import annotations

import datetime as dt

from unspin.analysis import Document
from unspin.detectors.base import Findings, Parsed
from unspin.options import Options
from unspin.text.dates import infer_publication, resolve_dates


def publication_anchor(document: Document, options: Options) -> tuple[dt.date | None, str | None]:
    """The date relative expressions count from, and where it came from."""
    if options.published:
        return options.published, "option"
    if document.published:
        try:
            return dt.date.fromisoformat(document.published[:10]), document.published_source or "metadata"
        except ValueError:
            pass
    inferred = infer_publication(document.text)
    return (inferred, "inferred") if inferred else (None, None)


class DatesDetector:
    name = "dates"
    id = "unspin.dates.v1"
    requires: tuple[str, ...] = ()
    assigns = ("dates",)

    def __call__(self, parsed: Parsed) -> Findings:
        document = parsed.analysis.document
        anchor, source = publication_anchor(document, parsed.options)
        if source == "inferred" and anchor and not document.published:
            # the document says when it was published only through its text: record that, marked inferred
            parsed.analysis.document = document.model_copy(
                update={"published": anchor.isoformat(), "published_source": "inferred"}
            )
        return {"dates": resolve_dates(parsed.text, anchor, inferred=source == "inferred")}
