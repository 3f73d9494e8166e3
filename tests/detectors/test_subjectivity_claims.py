"""Subjectivity and check-worthy claims on hand-written news sentences, through the public API."""

from __future__ import annotations

import pytest

import unspin
from unspin.detectors import claims as claims_mod
from unspin.models import MODELS_DIR
from unspin.nlp import parse

needs_models = pytest.mark.skipif(
    not all((MODELS_DIR / name / "weights.npz").is_file() for name in ("subjectivity", "checkworthiness"))
    or not (MODELS_DIR / "encoder" / "model.onnx").is_file(),
    reason="sentence models not shipped in this checkout",
)

FACT = "The ministry said 1,200 people were evacuated from Kherson on March 3, 2024, and $2 billion in aid was pledged."
OPINION = "Frankly, I think this is the most shameful and cowardly decision I have ever seen."
UNSOURCED = "Unemployment in Spain rose to 14.2% in 2023, the highest rate in the European Union."
ARTICLE = f"{OPINION} {FACT}\n\n{UNSOURCED} What a disgrace it all is!"


def claim_in(analysis, sentence: str):  # type: ignore[no-untyped-def]
    """The claim found inside `sentence` (the whole sentence or the clause that carries the claim)."""
    start = ARTICLE.index(sentence)
    found = [c for c in analysis.claims if start <= c.start and c.end <= start + len(sentence)]
    assert len(found) == 1, [c.text for c in analysis.claims]
    return found[0]


@pytest.fixture(scope="module")
def analysis():  # type: ignore[no-untyped-def]
    return unspin.analyze(unspin.Document(text=ARTICLE), only=("claims",))


@needs_models
def test_subjectivity_sentences_cover_the_text_and_rank_opinion_higher(analysis) -> None:  # type: ignore[no-untyped-def]
    sentences = analysis.sentences
    assert len(sentences) == 4
    for s in sentences:
        assert 0.0 <= s.subjectivity <= 1.0
        assert ARTICLE[s.start : s.end].strip() == ARTICLE[s.start : s.end]
    by_text = {ARTICLE[s.start : s.end]: s for s in sentences}
    assert by_text[OPINION].subjectivity > by_text[FACT].subjectivity
    assert by_text[OPINION].subjective
    assert not by_text[FACT].subjective


@needs_models
def test_claims_factual_sentence_with_numbers_ranks_above_opinion(analysis) -> None:  # type: ignore[no-untyped-def]
    claim_in(analysis, FACT)
    assert claim_in(analysis, UNSOURCED).text == UNSOURCED
    scores = [c.checkworthiness for c in analysis.claims]
    assert scores == sorted(scores, reverse=True)
    spans = claims_mod.subj.sentence_spans(parse(ARTICLE))
    probs = dict(zip([s.text for s in spans], claims_mod.checkworthiness(spans), strict=True))
    assert probs[FACT] > probs[OPINION]
    assert probs[UNSOURCED] > probs["What a disgrace it all is!"]


@needs_models
def test_claims_carry_normalised_quantities_entities_and_exact_offsets(analysis) -> None:  # type: ignore[no-untyped-def]
    claim = claim_in(analysis, FACT)
    assert claim.text.startswith("1,200 people were evacuated")  # the reported clause, not "The ministry said"
    assert ARTICLE[claim.start : claim.end] == claim.text
    for item in [*claim.quantities, *claim.entities]:
        assert ARTICLE[item.start : item.end] == item.text
        assert claim.start <= item.start < item.end <= claim.end
    values = {q.text: q for q in claim.quantities}
    assert values["1,200"].value == 1200
    assert values["$2 billion"].value == 2e9 and values["$2 billion"].unit == "USD"
    assert values["March 3, 2024"].date == "2024-03-03"
    assert any(e.text == "Kherson" for e in claim.entities)


@needs_models
def test_claims_attribution(analysis) -> None:  # type: ignore[no-untyped-def]
    assert claim_in(analysis, FACT).attributed is True  # "The ministry said"
    assert claim_in(analysis, UNSOURCED).attributed is False  # a fact with no source


@needs_models
def test_claims_empty_document() -> None:
    result = unspin.analyze(unspin.Document(text="   \n\n  "), only=("claims",))
    assert result.claims == []
    assert result.sentences == []
