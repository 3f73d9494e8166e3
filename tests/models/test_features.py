"""Sentence features and the numpy logistic regression: TF-IDF as scikit-learn makes it, save/load, encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspin.detectors.claims import claim_clause
from unspin.detectors.subjectivity import sentence_spans
from unspin.models import sentence_encoder as encoder
from unspin.models.features import LEXICAL_NAMES, lexical_features, ngrams, tfidf
from unspin.models.linear import LinearModel

TEXTS = ["Prices rose 3% in May, the bank said.", "What a shameful, shameful decision!", "Prices fell."]


def test_features_tfidf_matches_scikit_learn() -> None:
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    vectorizer = sklearn_text.TfidfVectorizer(
        token_pattern=r"(?u)\b\w\w+\b", ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32
    )
    expected = vectorizer.fit_transform(TEXTS).toarray()
    vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
    assert np.allclose(tfidf(TEXTS, vocabulary, vectorizer.idf_), expected, atol=1e-6)


def test_features_ngrams_are_lowercased_unigrams_and_bigrams() -> None:
    assert ngrams("The BIG dog") == ["the", "big", "dog", "the big", "big dog"]


def test_features_linear_model_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    dim = encoder.DIM + len(LEXICAL_NAMES) + 2
    model = LinearModel(
        id="test.v1",
        coef=rng.normal(size=dim).astype(np.float32),
        intercept=-0.3,
        lex_mean=rng.normal(size=len(LEXICAL_NAMES)).astype(np.float32),
        lex_scale=np.ones(len(LEXICAL_NAMES), dtype=np.float32),
        vocabulary={"prices": 0, "rose": 1},
        idf=np.array([1.5, 2.0], dtype=np.float32),
        threshold=0.42,
        use_embedding=True,
        use_lexical=True,
        use_tfidf=True,
    )
    model.save(tmp_path)
    loaded = LinearModel.load(tmp_path)
    emb = rng.normal(size=(3, encoder.DIM)).astype(np.float32)
    lex = rng.normal(size=(3, len(LEXICAL_NAMES))).astype(np.float32)
    a = model.probabilities(model.features(TEXTS, emb, lex))
    b = loaded.probabilities(loaded.features(TEXTS, emb, lex))
    assert np.allclose(a, b, atol=1e-6)
    assert loaded.threshold == 0.42 and loaded.id == "test.v1"


def test_features_lexical_vector_has_one_value_per_name(nlp) -> None:  # type: ignore[no-untyped-def]
    values = lexical_features(nlp("I think we should cut taxes by 5% in 2025?")[:])
    assert values.shape == (len(LEXICAL_NAMES),)
    named = dict(zip(LEXICAL_NAMES, values, strict=True))
    assert named["question"] == 1.0 and named["has_digit"] == 1.0 and named["first_singular"] > 0


def test_sentence_spans_trim_whitespace_and_skip_empty(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "  First sentence here.\n\n  * * *\n\nSecond one follows.  "
    spans = sentence_spans(nlp(text))
    assert [s.text for s in spans] == ["First sentence here.", "Second one follows."]
    for s in spans:
        assert text[s.start_char : s.end_char] == s.text


def test_sentence_spans_cut_a_headline_but_not_a_wrapped_line(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Aid Convoy Stuck At Border\nThe convoy waited for nine\ndays, officials said."
    assert [s.text for s in sentence_spans(nlp(text))] == [
        "Aid Convoy Stuck At Border",
        "The convoy waited for nine\ndays, officials said.",
    ]


@pytest.mark.parametrize(
    ("sentence", "clause"),
    [
        (
            "The ministry said that 1,200 people were evacuated from Kherson.",
            "1,200 people were evacuated from Kherson",
        ),
        ("Prices rose 3% in May.", "Prices rose 3% in May."),
    ],
)
def test_claims_clause_of_reported_speech(nlp, sentence: str, clause: str) -> None:  # type: ignore[no-untyped-def]
    assert claim_clause(nlp(sentence)[:]).text == clause


@pytest.mark.skipif(not (encoder.ENCODER_DIR / "model.onnx").is_file(), reason="encoder not shipped")
def test_encoder_vectors_are_unit_length_and_independent_of_batch_order() -> None:
    a = encoder.embed(TEXTS)
    b = encoder.embed(TEXTS[::-1])[::-1]
    assert a.shape == (3, encoder.DIM)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert np.array_equal(a, b)
    # A sentence's vector does not depend on the other sentences encoded with it.
    alone = encoder.embed([TEXTS[1]])[0]
    assert np.array_equal(alone, a[1])
