"""Per-technique reliability: measured by cross-validation, shipped with the model, shown with every span."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from unspin.analysis import Analysis, Document, TechniqueReliability, TechniqueSpan
from unspin.detectors import techniques as det
from unspin.render import render
from unspin.render.findings import reliability_label

TEXT = (
    "The mayor called the plan a shameful betrayal of every family in the city. Some residents doubt the "
    "figures were ever checked, and the council will vote on Tuesday."
)


def _analysis(with_reliability: bool) -> Analysis:
    reliability = det.load_reliability(det.MODEL_DIR / "reliability.json") if with_reliability else {}
    spans = []
    for phrase, technique, score in (
        ("shameful betrayal", "Loaded_Language", 0.8),
        ("doubt the figures", "Doubt", 0.6),
    ):
        start = TEXT.index(phrase)
        spans.append(
            TechniqueSpan(
                start=start,
                end=start + len(phrase),
                technique=technique,
                score=score,
                text=phrase,
                reliability=reliability.get(technique),
            )
        )
    return Analysis(document=Document(text=TEXT), techniques=spans)


def test_shipped_reliability_is_the_cross_validation_of_the_training_report() -> None:
    report = json.loads((det.MODEL_DIR / "training_report.json").read_text(encoding="utf-8"))
    shipped = json.loads((det.MODEL_DIR / "reliability.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(det.reliability_from_report(report)))
    loaded = det.load_reliability(det.MODEL_DIR / "reliability.json")
    assert set(loaded) == set(det.CHANNELS[1:])
    for technique, measured in report["cv"]["per_technique"].items():
        assert loaded[technique].precision == measured["precision"]
        assert loaded[technique].recall == measured["recall"]


def test_an_older_model_without_reliability_loads_with_none(tmp_path: Path) -> None:
    assert det.load_reliability(tmp_path / "reliability.json") == {}


def test_decoded_spans_carry_their_techniques_reliability() -> None:
    text = "They are a bunch of corrupt thugs, the senator said on Monday."
    enc = det.encode(det.load_tokenizer(det.MODEL_DIR / "tokenizer.json"), text)
    import numpy as np

    probs = np.zeros((len(enc.ids), len(det.CHANNELS)), dtype=np.float32)
    start = text.index("corrupt thugs")
    hit = (enc.offsets[:, 0] < start + len("corrupt thugs")) & (enc.offsets[:, 1] > start)
    probs[hit, det.CHANNELS.index("Name_Calling,Labeling")] = 0.9
    reliability = {"Name_Calling,Labeling": TechniqueReliability(precision=0.22, recall=0.38, f1=0.28)}
    decoding = det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.5), any_label=False)
    (span,) = det.decode(text, enc, probs, decoding, reliability)
    assert span.text == "corrupt thugs" and span.reliability == reliability["Name_Calling,Labeling"]
    (bare,) = det.decode(text, enc, probs, decoding)
    assert bare.reliability is None


@pytest.mark.parametrize(
    ("precision", "recall", "words"),
    [
        (0.2312, 0.5186, ["1 time in 4", "precision 0.23", "recall 0.52", "more reliable"]),
        (0.1078, 0.1412, ["1 time in 9", "precision 0.11", "hint"]),
        (0.0385, 0.0039, ["1 time in 26", "rarely right"]),
        (0.0, 0.0, ["never right"]),
    ],
)
def test_reliability_in_words(precision: float, recall: float, words: list[str]) -> None:
    label = reliability_label(TechniqueReliability(precision=precision, recall=recall, f1=0.0))
    assert all(w in label for w in words), label
    assert reliability_label(None) == ""


def test_terminal_legend_says_how_far_to_trust_each_technique() -> None:
    report = render(_analysis(True), "text", width=400)  # wide: one table row per line
    assert re.search(r"Loaded language .*precision 0\.23, recall 0\.52", report)
    assert re.search(r"Doubt .*precision 0\.11, recall 0\.14\): read it as a hint", report)
    assert "precision" not in render(_analysis(False), "text", width=200)


def test_html_legend_and_details_say_how_far_to_trust_each_technique() -> None:
    page = render(_analysis(True), "html")
    legend = page[page.index('class="panel legend"') : page.index('id="details"')]
    assert "precision 0.11, recall 0.14): read it as a hint" in legend
    passages = page[page.index('id="passages"') :]
    assert "How far to trust the label: right about 1 time in 4" in passages  # cloned into the details panel
    assert "How far to trust" not in render(_analysis(False), "html")


def test_analysis_with_reliability_round_trips_through_json() -> None:
    analysis = _analysis(True)
    again = Analysis.from_json(analysis.to_json())
    assert again.techniques[0].reliability == analysis.techniques[0].reliability
    assert again.techniques[0].reliability is not None
