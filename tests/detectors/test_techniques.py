"""The techniques detector: windows, decoding and offsets by hand; the shipped model on planted techniques."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.detectors import techniques as det

PLANTED = (
    "The senator's plan is a disgrace. These corrupt, lying traitors have betrayed every patriot in this great "
    "nation, and the radical mob that cheers them on wants to destroy everything we love. Make America great "
    "again! The fake news media lies every day: the fake news media hates you, and the fake news media will "
    "keep selling its poison until the country is ruined. Experts agree that the plan will cost jobs. "
    "Either we stand with our soldiers or we stand with the terrorists."
)


def tokenizer():  # type: ignore[no-untyped-def]
    return det.load_tokenizer(det.MODEL_DIR / "tokenizer.json")


needs_model = pytest.mark.skipif(
    not (det.MODEL_DIR / "model.int8.onnx").exists(), reason="techniques model not shipped in this checkout"
)


@pytest.mark.parametrize("n_tokens", [0, 1, 100, 254, 255, 400, 5000])
def test_techniques_windows_cover_every_token(n_tokens: int) -> None:
    starts = det.window_starts(n_tokens)
    covered = np.zeros(n_tokens, dtype=bool)
    for s in starts:
        covered[s : s + det.WINDOW - 2] = True
    assert covered.all()
    assert all(s + det.WINDOW - 2 <= max(n_tokens, det.WINDOW - 2) for s in starts)


def test_techniques_merge_windows_averages_overlaps() -> None:
    starts = [0, 2]
    probs = np.zeros((2, 6, 1), dtype=np.float32)  # window 6: [CLS] + 4 tokens + [SEP]
    probs[0, 1:5, 0] = 1.0
    probs[1, 1:5, 0] = 0.0
    merged = det.merge_windows(6, starts, probs, window=6)
    assert merged[:, 0].tolist() == [1.0, 1.0, 0.5, 0.5, 0.0, 0.0]


def test_techniques_word_features_mark_repeated_content_words() -> None:
    text = "Fake news is fake NEWS, and the cat is the cat."
    enc = det.encode(tokenizer(), text)
    by_word = {text[s:e].lower(): f for (s, e), f in zip(enc.offsets.tolist(), enc.features, strict=True)}
    assert by_word["fake"][0] == 1.0 and by_word["news"][0] == 1.0
    assert by_word["the"][0] == 0.0  # a function word repeating is not Repetition
    assert by_word["fake"][2] == 1.0  # "fake news" occurs twice


def _synthetic(text: str, phrase: str, channel: str) -> tuple[det.Encoded, np.ndarray]:  # type: ignore[type-arg]
    """Token probabilities that are high exactly on the first occurrence of `phrase` for one channel."""
    enc = det.encode(tokenizer(), text)
    start = text.index(phrase)
    end = start + len(phrase)
    probs = np.zeros((len(enc.ids), len(det.CHANNELS)), dtype=np.float32)
    hit = (enc.offsets[:, 0] < end) & (enc.offsets[:, 1] > start)
    probs[hit, det.CHANNELS.index(channel)] = 0.9
    probs[hit, 0] = 0.9
    return enc, probs


@pytest.mark.parametrize(
    "prefix",
    [
        "\ufeff",  # a byte-order mark is a character the offsets count
        "Zürich’s café — naïve “quotes” 🙂 ",  # non-ASCII, a character outside the BMP
        "Filler sentence with nothing to see. " * 800,  # a long text: many windows
    ],
)
def test_techniques_offsets_land_on_the_text(prefix: str) -> None:
    text = prefix + "They are a bunch of corrupt thugs, and corrupt thugs never change."
    enc, probs = _synthetic(text, "corrupt thugs", "Name_Calling,Labeling")
    decoding = det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.5), repetition_links=False)
    spans = det.decode(text, enc, probs, decoding)
    assert spans, "the planted span was not decoded"
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text == "corrupt thugs"
    assert {s.technique for s in spans} == {"Name_Calling,Labeling"}


def test_techniques_repeated_phrase_algorithm() -> None:
    text = "Open borders now. They want open borders. Open borders, said the crowd; borders open wide."
    flagged = [(0, 12), (23, 40), (42, 60)]  # the model flagged spans around every occurrence
    spans, evidence = det.repeated_phrase_spans(text, flagged)
    assert sorted((s, e) for s, e, _, _ in spans) == [(0, 12), (28, 40), (42, 54)]
    assert all(t == "Repetition" for _, _, t, _ in spans)
    assert evidence[(0, 12)] == [(28, 40), (42, 54)]
    # Repeated names and topics in plain reporting are not the technique: every occurrence must be flagged.
    assert det.repeated_phrase_spans(text, flagged[:2])[0] == []


def test_techniques_repetition_links_every_occurrence() -> None:
    text = "Fake news again. They print fake news daily. FAKE NEWS, said the man; fakenews is not it."
    enc, probs = _synthetic(text, "fake news", "Repetition")
    spans = det.decode(text, enc, probs, det.Decoding(thresholds=dict.fromkeys(det.CHANNELS, 0.5)))
    reps = [s for s in spans if s.technique == "Repetition"]
    assert [s.text.lower() for s in reps] == ["fake news"] * 3
    for s in reps:  # each occurrence cites the other two
        assert len(s.evidence) == 2
        assert (s.start, s.end) not in s.evidence
        assert all(text[a:b].lower() == "fake news" for a, b in s.evidence)


@needs_model
@pytest.mark.parametrize("prefix", ["", "\ufeff", "Ünïcödé — “ok” 🙂\n", "Quiet filler text here. " * 1500])
def test_techniques_model_offsets_valid(prefix: str) -> None:
    text = prefix + PLANTED
    spans = det.detect(text)
    assert spans
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert span.technique in det.CHANNELS[1:]
        assert 0.0 <= span.score <= 1.0
        for a, b in span.evidence:
            assert 0 <= a < b <= len(text)
    # The planted text is still found after the prefix (the exact spans may move with the context).
    assert any(s.end > len(prefix) for s in spans)


@needs_model
def test_techniques_model_finds_planted_techniques() -> None:
    spans = det.detect(PLANTED)
    found = {s.technique for s in spans}

    def covered(phrase: str, techniques: set[str]) -> bool:
        start = PLANTED.index(phrase)
        end = start + len(phrase)
        return any(s.start < end and s.end > start and s.technique in techniques for s in spans)

    everything = set(det.CHANNELS[1:])
    loaded = {"Loaded_Language", "Name_Calling,Labeling"}
    assert covered("corrupt, lying traitors", everything)
    assert covered("radical mob", loaded)
    assert covered("disgrace", loaded | {"Exaggeration,Minimisation"})
    assert "Loaded_Language" in found
    # Repetition: "fake news media" three times; every occurrence reported, each citing the others.
    reps = [s for s in spans if s.technique == "Repetition" and s.text.lower() == "fake news media"]
    assert len(reps) == 3
    assert all(len(s.evidence) == 2 for s in reps)


@needs_model
def test_techniques_detector_in_pipeline_shape() -> None:
    from unspin.analysis import Analysis, Document
    from unspin.detectors.base import Parsed

    analysis = Analysis(document=Document(text=PLANTED))
    findings = det.TechniquesDetector()(Parsed(analysis=analysis, doc=None))  # type: ignore[arg-type]
    assert set(findings) == set(det.TechniquesDetector.assigns)
    assert all(s.text == PLANTED[s.start : s.end] for s in findings["techniques"])
