"""Which claims a fact-checker sees by default: the shape of news sentences and the cut (`Claim.selected`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import unspin
from unspin.detectors import claims as claims_mod
from unspin.models import MODELS_DIR

pytestmark = pytest.mark.skipif(
    not all(
        (MODELS_DIR / name / "weights.npz").is_file()
        for name in ("subjectivity", "checkworthiness", claims_mod.RANK_MODEL)
    ),
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
    return claims_mod.news_shape(nlp(sentence)[:])


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
    assert all(c.checkworthiness >= claims_mod.LIST_FLOOR for c in report.claims)
    scores = [c.checkworthiness for c in report.claims]
    assert scores == sorted(scores, reverse=True)


def test_select_caps_by_share_and_cut() -> None:
    scores = np.asarray([0.9, 0.2, 0.8, 0.7, 0.6, 0.1, 0.95, 0.4, 0.3, 0.55])
    chosen = claims_mod.select(scores, cut=0.5, max_share=0.3)
    assert chosen.sum() == 3
    assert set(np.flatnonzero(chosen)) == {0, 2, 6}
    assert claims_mod.select(scores, cut=0.99, max_share=0.5).sum() == 0
    assert claims_mod.select(np.zeros(0), cut=0.5, max_share=0.3).shape == (0,)


def _probabilities(nlp: Any, text: str, subjectivity: list[float] | None = None) -> np.ndarray:
    spans = list(nlp(text).sents)
    calibrated = claims_mod.checkworthiness(spans, np.asarray(subjectivity) if subjectivity else None)
    subjective = np.asarray(subjectivity) if subjectivity else np.full(len(spans), 0.1)
    return claims_mod.news_probabilities(spans, calibrated, subjective, [], [])


def test_the_ranker_demotes_opinion(nlp: Any) -> None:
    scores = _probabilities(
        nlp,
        "The company said on Tuesday that the plant employs 400 people. The plan is a disgrace and an insult.",
        [0.1, 0.95],
    )
    assert scores[1] < claims_mod.NEWS_CUT <= scores[0]


def test_the_ranker_puts_a_casualty_figure_above_a_prediction_and_a_question(nlp: Any) -> None:
    scores = _probabilities(
        nlp,
        "Flooding in the northern province killed 41 people and destroyed 2,300 homes last week, the interior "
        "ministry said. The river will probably rise again in the spring. What happens to the families now?",
    )
    assert scores[0] > scores[1] > scores[2]
    assert scores[2] == 0.0  # a question is never a claim


def test_rank_features_are_in_the_order_the_model_was_trained_with(nlp: Any) -> None:
    from unspin.models.linear import load_linear

    ranker = load_linear(claims_mod.RANK_MODEL)
    assert ranker.extra == claims_mod.RANK_FEATURES
    assert ranker.threshold == claims_mod.NEWS_CUT
    spans = list(nlp("“We will rebuild,” the mayor said. The bridge cost $40 million.").sents)
    shapes = [claims_mod.news_shape(span) for span in spans]
    rows = claims_mod.rank_features(spans, shapes, np.asarray([0.5, 0.9]), np.asarray([0.2, 0.1]), [(0, 15)], [])
    assert rows.shape == (2, len(claims_mod.RANK_FEATURES))
    column = {name: i for i, name in enumerate(claims_mod.RANK_FEATURES)}
    assert rows[0, column["quoted_share"]] > 0.3 and rows[1, column["quoted_share"]] == 0
    assert rows[0, column["attributed"]] == 1  # "said"
    assert rows[1, column["has_number"]] == 1
    assert rows[0, column["first_sentence"]] == 1 and rows[1, column["first_sentence"]] == 0
    assert rows[0, column["debate_logit"]] == 0.0


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


def test_a_sites_poll_and_offers_are_boilerplate_not_claims() -> None:
    from unspin.detectors.claims import _BOILERPLATE_RE

    assert _BOILERPLATE_RE.search("Completing this survey grants you access to Daily Wire updates free of charge.")
    assert _BOILERPLATE_RE.search("Reader Poll: Exercise your right to vote.")
    assert not _BOILERPLATE_RE.search("The poll of 1,200 voters gave the mayor a 12-point lead.")
