"""Techniques decoding: the neutral-identity guard and one span per technique per stretch of text."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.detectors import techniques as det

NAME_CALLING = "Name_Calling,Labeling"


def _probs(text: str, marks: dict[str, tuple[str, float]]) -> tuple[det.Encoded, np.ndarray]:
    """Token probabilities: `phrase -> (channel, probability)` on the first occurrence of each phrase."""
    enc = det.encode(det.load_tokenizer(det.MODEL_DIR / "tokenizer.json"), text)
    probs = np.zeros((len(enc.ids), len(det.CHANNELS)), dtype=np.float32)
    for phrase, (channel, p) in marks.items():
        start = text.index(phrase)
        hit = (enc.offsets[:, 0] < start + len(phrase)) & (enc.offsets[:, 1] > start)
        probs[hit, det.CHANNELS.index(channel)] = p
    return enc, probs


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The clinic would serve black voters who now drive an hour to see a doctor.", "black voters"),
        ("Men of color gathered outside the courthouse on Wednesday.", "of color"),
        ("Transgender athletes met the league's officials on Monday.", "Transgender"),
        ("The number of Somali-American voters in the state rose by 12 percent.", "American voters"),
        ("Asylum seekers from Central America in the state filed claims.", "Central America in the state"),
        ("African-American students held a vigil.", "African"),
    ],
)
def test_identity_guard_drops_a_neutral_group_name_flagged_without_conviction(text: str, phrase: str) -> None:
    enc, probs = _probs(text, {phrase: (NAME_CALLING, 0.77)})
    decoding = det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.6), any_label=False)
    assert det.decode(text, enc, probs, decoding) == []
    # The same probabilities without the guard: the model's own output flagged the group's name.
    unguarded = det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.6), any_label=False, identity_guard=False)
    assert [s.technique for s in det.decode(text, enc, probs, unguarded)] == [NAME_CALLING]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Police said black thugs had broken into the shopping center.", "black thugs"),
        ("The mayor warned that Somali invaders were taking over the town.", "Somali invaders"),
        ("He said illegals flooding the border would ruin the country.", "illegals flooding"),
        ("These corrupt, lying traitors have betrayed every patriot.", "corrupt, lying traitors"),
        ("Only the American people can stop this.", "American people"),  # Flag-Waving: no minority named
    ],
)
def test_identity_guard_keeps_labels_and_loaded_words(text: str, phrase: str) -> None:
    enc, probs = _probs(text, {phrase: (NAME_CALLING, 0.77)})
    decoding = det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.6), any_label=False)
    assert [s.text for s in det.decode(text, enc, probs, decoding)] == [phrase]


def test_identity_guard_keeps_a_group_name_the_model_is_sure_of() -> None:
    text = "The clinic would serve black voters who now drive an hour to see a doctor."
    enc, probs = _probs(text, {"black voters": (NAME_CALLING, det.IDENTITY_THRESHOLD + 0.02)})
    decoding = det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.6), any_label=False)
    assert [s.text for s in det.decode(text, enc, probs, decoding)] == ["black voters"]


def test_overlapping_and_touching_spans_of_one_technique_become_one() -> None:
    text = "They are corrupt thugs and lying crooks, said the man who wrote the letter."
    spans: list[det.RawSpan] = [
        (9, 22, NAME_CALLING, 0.7),  # corrupt thugs
        (17, 22, NAME_CALLING, 0.9),  # thugs: inside the first
        (23, 38, NAME_CALLING, 0.6),  # and lying crooks: touches the first (a space between)
        (9, 16, "Loaded_Language", 0.8),  # another technique on the same words stays its own span
        (55, 61, NAME_CALLING, 0.65),  # "wrote": apart from the rest
    ]
    merged, _ = det.merge_same_technique(text, spans, {})
    assert sorted(merged) == [
        (9, 16, "Loaded_Language", 0.8),
        (9, 38, NAME_CALLING, 0.9),
        (55, 61, NAME_CALLING, 0.65),
    ]


def test_merged_repetition_keeps_evidence_of_the_other_occurrences() -> None:
    text = "Fake news media. Fake news media lies. Fake news media again."
    first, second, third = (0, 15), (17, 32), (39, 54)
    spans: list[det.RawSpan] = [(0, 9, "Repetition", 0.5), (*first, "Repetition", 0.6), (*third, "Repetition", 0.6)]
    evidence = {(0, 9): [(17, 26)], first: [second, third], third: [first, second]}
    merged, cited = det.merge_same_technique(text, spans, evidence)
    assert sorted(merged) == [(*first, "Repetition", 0.6), (*third, "Repetition", 0.6)]
    assert cited[first] == [(17, 26), second, third]
    assert cited[third] == [first, second]


def test_decoded_spans_of_one_technique_never_overlap() -> None:
    text = "The corrupt, lying, thieving crooks in the capital betrayed us all again and again."
    enc, probs = _probs(text, {"corrupt, lying": (NAME_CALLING, 0.8), "lying, thieving crooks": (NAME_CALLING, 0.7)})
    probs[:, 0] = probs[:, det.CHANNELS.index(NAME_CALLING)]  # the ANY channel agrees: two routes to one span
    spans = det.decode(text, enc, probs, det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.6)))
    named = sorted((s.start, s.end) for s in spans if s.technique == NAME_CALLING)
    assert len(named) == 1 and text[named[0][0] : named[0][1]] == "corrupt, lying, thieving crooks"


@pytest.mark.parametrize("name", ["identity_sentences.jsonl", "identity_sentences_heldout.jsonl"])
def test_identity_benchmark_sentences_pair_every_neutral_sentence_with_a_loaded_one(name: str) -> None:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "fixtures" / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    neutral = {r["id"].rsplit("-", 1)[0]: r for r in rows if r["variant"] == "neutral"}
    loaded = {r["id"].rsplit("-", 1)[0]: r for r in rows if r["variant"] == "loaded"}
    assert set(neutral) == set(loaded) and len(neutral) >= (200 if name == "identity_sentences.jsonl" else 40)
    for key, plain in neutral.items():
        a, b = plain["phrase"]
        assert plain["text"][a:b].lower() == plain["group"].lower() and not plain["should_flag"]
        other = loaded[key]
        a2, b2 = other["phrase"]
        # Only the group phrase differs between the two sentences.
        assert (
            other["should_flag"] and plain["text"][:a] == other["text"][:a2] and plain["text"][b:] == other["text"][b2:]
        )


def test_a_one_letter_span_is_never_a_technique() -> None:
    text = "Killer T cells then answer the tuft cells and attack the parasite."
    enc, probs = _probs(text, {"T": (NAME_CALLING, 0.9)})
    decoding = det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.6), any_label=False)
    assert det.decode(text, enc, probs, decoding) == []
    # two letters and more stay for the model to judge
    enc, probs = _probs(text, {"tuft cells": (NAME_CALLING, 0.9)})
    assert [s.text for s in det.decode(text, enc, probs, decoding)] == ["tuft cells"]
