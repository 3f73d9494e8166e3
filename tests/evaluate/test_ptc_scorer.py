"""The SemEval-2020 Task 11 scorer on hand-made cases whose answers are worked out in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.errors import BadOption
from unspin.evaluate.ptc import LabelSpan, evaluate, merge, read_labels, score_full, score_si, write_labels

LL, DOUBT = "Loaded_Language", "Doubt"


def S(start: int, end: int, technique: str | None = LL, article: str = "1") -> LabelSpan:
    return LabelSpan(article, technique, start, end)


@pytest.mark.parametrize(
    ("gold", "pred", "precision", "recall"),
    [
        # exact match
        ([S(0, 10)], [S(0, 10)], 1.0, 1.0),
        # half overlap: |s∩t| = 5, |s| = |t| = 10
        ([S(0, 10)], [S(5, 15)], 0.5, 0.5),
        # gold [0,10) and [5,20) merge into [0,20); pred [0,10): P = 10/10, R = 10/20
        ([S(0, 10), S(5, 20)], [S(0, 10)], 1.0, 0.5),
        # one long prediction over two gold spans: P = (10 + 10) / 30, R = (1 + 1) / 2
        ([S(0, 10), S(20, 30)], [S(0, 30)], 2 / 3, 1.0),
        # spans in different articles never overlap-credit each other
        ([S(0, 10, article="1")], [S(0, 10, article="2")], 0.0, 0.0),
        # a prediction in an article without gold still counts in |S|: P = (1 + 0) / 2
        ([S(0, 10)], [S(0, 10), S(0, 10, article="2")], 0.5, 1.0),
        # touching spans are not merged: two predictions, each fully inside the gold span, R = (5+5)/10
        ([S(0, 10)], [S(0, 5), S(5, 10)], 1.0, 1.0),
    ],
)
def test_ptc_scorer_si_partial_overlap(
    gold: list[LabelSpan], pred: list[LabelSpan], precision: float, recall: float
) -> None:
    result = score_si(gold, pred)
    assert result.precision == pytest.approx(precision)
    assert result.recall == pytest.approx(recall)
    expected_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert result.f1 == pytest.approx(expected_f1)


def test_ptc_scorer_no_predictions_scores_zero() -> None:
    result = score_si([S(0, 10)], [])
    assert (result.precision, result.recall, result.f1) == (0.0, 0.0, 0.0)


def test_ptc_scorer_full_task_needs_the_same_technique() -> None:
    gold, pred = [S(0, 10, LL)], [S(0, 10, DOUBT)]
    assert score_si(gold, pred).f1 == pytest.approx(1.0)  # SI ignores techniques
    overall, per = score_full(gold, pred)
    assert overall.f1 == 0.0
    assert per[LL].recall == 0.0 and per[DOUBT].precision == 0.0


def test_ptc_scorer_multi_label_gold() -> None:
    # The same offsets carry two techniques: two gold spans in the full task, one merged span in SI.
    gold = [S(0, 10, LL), S(0, 10, DOUBT)]
    pred = [S(0, 10, LL)]
    overall, per = score_full(gold, pred)
    assert overall.precision == pytest.approx(1.0)  # 1 / 1 predicted span
    assert overall.recall == pytest.approx(0.5)  # 1 of 2 gold spans
    assert overall.f1 == pytest.approx(2 / 3)
    assert per[LL].f1 == pytest.approx(1.0)
    assert per[DOUBT].f1 == 0.0
    assert score_si(gold, pred).f1 == pytest.approx(1.0)


def test_ptc_scorer_full_task_merges_within_a_technique_only() -> None:
    # LL gold [0,10) + [5,20) -> [0,20); DOUBT gold [0,4). Predictions: LL [0,20), DOUBT [2,6).
    gold = [S(0, 10, LL), S(5, 20, LL), S(0, 4, DOUBT)]
    pred = [S(0, 20, LL), S(2, 6, DOUBT)]
    overall, _ = score_full(gold, pred)
    # precision: LL 20/20 = 1, DOUBT 2/4 = 0.5 -> 1.5 / 2; recall: LL 1, DOUBT 2/4 -> 1.5 / 2
    assert overall.precision == pytest.approx(0.75)
    assert overall.recall == pytest.approx(0.75)


def test_ptc_scorer_evaluate_report_shape() -> None:
    report = evaluate([S(0, 10)], [S(5, 15)], ["1"])
    assert report["span_identification"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "predicted_spans": 1,
        "gold_spans": 1,
    }
    assert report["full_task"]["f1"] == 0.5  # type: ignore[index]
    assert set(report["per_technique"]) == {LL}  # type: ignore[arg-type]


def test_ptc_scorer_merge() -> None:
    assert merge([(5, 8), (0, 3), (2, 4), (8, 9), (7, 7)]) == [(0, 4), (5, 8), (8, 9)]


def test_ptc_scorer_reads_both_label_formats(tmp_path: Path) -> None:
    path = tmp_path / "gold.labels"
    path.write_text("7\tName_Calling,Labeling\t3\t9\n7\t10\t12\n\n", encoding="utf-8")
    assert read_labels(path) == [LabelSpan("7", "Name_Calling,Labeling", 3, 9), LabelSpan("7", None, 10, 12)]
    out = tmp_path / "out.labels"
    write_labels(read_labels(path), out)
    assert out.read_text(encoding="utf-8") == "7\tName_Calling,Labeling\t3\t9\n7\t10\t12\n"


@pytest.mark.parametrize("line", ["7\tLoaded_Language\tx\t9", "7\t1", "7\tLoaded_Language\t9\t3"])
def test_ptc_scorer_rejects_bad_lines(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad.labels"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(BadOption):
        read_labels(path)
