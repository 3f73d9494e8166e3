"""Which claims a fact-checker sees by default: the shape of news sentences and the cut (`Claim.selected`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import unspin
from unspin.detectors import claims as claims_mod
from unspin.models import MODELS_DIR

pytestmark = pytest.mark.skipif(
    not all((MODELS_DIR / name / "weights.npz").is_file() for name in ("subjectivity", "checkworthiness")),
    reason="sentence models not trained",
)

POLICE_REPORT = """Two men were arrested on Saturday after a shooting outside a bar in Dayton left one person dead.

Police said officers were called to the 400 block of East Fifth Street at 1:40 a.m. and found a 27-year-old man
with gunshot wounds. He was pronounced dead at Miami Valley Hospital.

No injuries were reported among the officers.

The suspects, aged 22 and 31, were charged with murder and felonious assault, according to court records.

Will the bar reopen next week? The owner said it might stay closed for a while.

Investigators expect to release more details on Monday.

It was a quiet night, neighbours said, until the shots rang out.

Read more: Sign up for our daily newsletter.
"""


@pytest.fixture(scope="module")
def report(nlp: Any) -> unspin.Analysis:
    return unspin.analyze(unspin.Document(text=POLICE_REPORT), only=("claims",))


def _shape(nlp: Any, sentence: str) -> str | None:
    return claims_mod.news_shape(nlp(sentence)[:])[1]


def test_news_shape_names_what_is_not_a_claim(nlp: Any) -> None:
    assert _shape(nlp, "Will the bar reopen next week?") == "question"
    assert _shape(nlp, "Read more: Sign up for our daily newsletter.") == "boilerplate"
    assert _shape(nlp, "The council will vote on the budget in March.") == "prediction"
    assert _shape(nlp, "The company plans to open three more stores next year.") == "prediction"
    assert _shape(nlp, "The fire may have started in the kitchen.") == "hedged"
    assert _shape(nlp, "No injuries were reported.") == "non-event"
    assert _shape(nlp, "Photo by staff.") == "fragment"
    assert _shape(nlp, "The suspects, aged 22 and 31, were charged with murder on Sunday.") is None


def test_questions_and_boilerplate_are_never_claims(report: unspin.Analysis) -> None:
    texts = [c.text for c in report.claims]
    assert not any(t.rstrip().endswith("?") for t in texts)
    assert not any("newsletter" in t for t in texts)


def test_the_non_event_is_not_a_top_claim(report: unspin.Analysis) -> None:
    top = [c.text for c in report.claims if c.selected][:3]
    assert not any("No injuries" in t for t in top)
    assert any("arrested" in t or "charged with murder" in t for t in top)


def test_the_cut_selects_at_most_the_share_and_keeps_the_rest(report: unspin.Analysis) -> None:
    selected = [c for c in report.claims if c.selected]
    assert selected, "a police report with a death and two arrests has claims worth checking"
    assert len(selected) <= round(claims_mod.MAX_SHARE * len(report.sentences))
    assert all(c.checkworthiness >= claims_mod.NEWS_CUT for c in selected)
    assert all(not c.selected for c in report.claims if c.checkworthiness < claims_mod.NEWS_CUT)
    scores = [c.checkworthiness for c in report.claims]
    assert scores == sorted(scores, reverse=True)


def test_select_caps_by_share_and_cut() -> None:
    scores = np.asarray([0.9, 0.2, 0.8, 0.7, 0.6, 0.1, 0.95, 0.4, 0.3, 0.55])
    chosen = claims_mod.select(scores, cut=0.5, max_share=0.3)
    assert chosen.sum() == 3
    assert set(np.flatnonzero(chosen)) == {0, 2, 6}
    assert claims_mod.select(scores, cut=0.99, max_share=0.5).sum() == 0
    assert claims_mod.select(np.zeros(0), cut=0.5, max_share=0.3).shape == (0,)


def test_news_scores_demote_opinion(nlp: Any) -> None:
    doc = nlp("The plant employs 400 people. The plant employs 300 people. The plan is a disgrace.")
    spans = list(doc.sents)
    scores = claims_mod.news_scores(spans, np.asarray([0.9, 0.9, 0.9]), np.asarray([0.1, 0.1, 0.95]), 0.5)
    assert scores[2] < 0.8 < scores[1]


def test_news_scores_keep_the_order_of_near_certain_sentences(nlp: Any) -> None:
    text = " ".join(f"Sentence {n} reports that the plant employs {n}00 people." for n in range(1, 9))
    spans = list(nlp(text).sents)
    calibrated = np.asarray([0.9999, 0.9998, 0.9997, 0.9996, 0.9995, 0.9994, 0.9993, 0.9992])
    scores = claims_mod.news_scores(spans, calibrated, np.full(8, 0.1), 0.5)
    assert list(scores) == sorted(scores, reverse=True)
    assert len(set(np.round(scores, 6))) == 8


def test_an_opinion_before_a_colon_is_not_the_claim_of_the_sentence(nlp: Any) -> None:
    analysis = unspin.analyze(
        unspin.Document(
            text="The toll of the drought is shocking: the agriculture ministry estimated last year that farmers "
            "had lost $3 billion in crops and 40,000 head of cattle."
        ),
        only=("claims",),
    )
    assert analysis.claims
    top = analysis.claims[0]
    assert "$3 billion" in top.text
    assert not top.text.startswith("The toll of the drought is shocking")
