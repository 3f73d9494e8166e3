"""Cost grows linearly with the input: every detector and renderer, timed on 25 KB and on 200 KB of real
article text (PTC training articles, concatenated) in one run, must not take far more than 8 times as long.

A quadratic step takes about 64 times as long at 8 times the size; linear work takes 8 times (a little more
for sorting and a loaded machine). Models are loaded and warmed before any timing; only the detector or the
renderer itself is timed. Needs ../shared (skipped without it).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from unspin import detectors, nlp
from unspin.analysis import Analysis, Document
from unspin.detectors.base import Parsed
from unspin.render import get_renderer

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "data" / "ptc" / "train-articles"
SMALL, LARGE = 25_000, 200_000
# 8x the input: linear work takes ~8x; quadratic ~64x. The bound leaves room for n log n and a busy machine.
MAX_RATIO = 20.0
SLACK_SECONDS = 0.05  # timer noise on steps that take a few milliseconds at the small size

pytestmark = pytest.mark.skipif(not ARTICLES.is_dir(), reason="../shared/data/ptc not available")


def real_texts(*sizes: int) -> list[str]:
    """Texts of these sizes made of different PTC training articles (in file order), joined as paragraphs: no
    text repeats another's names and sentences, which caches (gazetteer look-ups ...) would answer for free."""
    articles = iter(sorted(ARTICLES.glob("*.txt")))
    texts = []
    for size in sizes:
        parts: list[str] = []
        total = 0
        while total < size:
            article = next(articles).read_text(encoding="utf-8").lstrip("\ufeff").strip()
            parts.append(article)
            total += len(article) + 2
        texts.append("\n\n".join(parts)[:size])
    return texts


def timed(run: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Seconds of one call, the garbage collector held off: a full collection walks every object alive (the
    parse, the models), a cost of the whole process that would land on whichever step happens to trigger it."""
    gc.collect()
    gc.disable()
    try:
        began = time.perf_counter()
        result = run(*args)
        return time.perf_counter() - began, result
    finally:
        gc.enable()


@pytest.fixture(scope="module")
def timings() -> Iterator[dict[str, dict[int, tuple[float, Analysis]]]]:
    """Per detector (in running order) and renderer: seconds at each size, and the analysis it ran on."""
    names = detectors.available()
    warm = Analysis(document=Document(text="The minister said on Monday that 12 people died in Aleppo."))
    warm_parsed = Parsed(analysis=warm, doc=nlp.parse(warm.document.text))
    for name in names:  # models load on first use: never inside a timing
        for field, values in detectors.create(name)(warm_parsed).items():
            setattr(warm, field, values)
    out: dict[str, dict[int, tuple[float, Analysis]]] = {}
    for size, text in zip((SMALL, LARGE), real_texts(SMALL, LARGE), strict=True):
        analysis = Analysis(document=Document(text=text, published="2016-09-20"))
        parsed = Parsed(analysis=analysis, doc=nlp.parse(text))
        for name in names:  # once each, as the pipeline runs them: a second run would find caches filled
            seconds, findings = timed(detectors.create(name), parsed)
            for field, values in findings.items():
                setattr(analysis, field, values)
            out.setdefault(name, {})[size] = (seconds, analysis)
        for fmt in ("json", "html", "text"):
            seconds, _ = timed(get_renderer(fmt), analysis)
            out.setdefault(f"render:{fmt}", {})[size] = (seconds, analysis)
    yield out


@pytest.mark.parametrize("step", [*detectors.available(), "render:json", "render:html", "render:text"])
def test_cost_grows_linearly(step: str, timings: dict[str, dict[int, tuple[float, Analysis]]]) -> None:
    small, large = timings[step][SMALL][0], timings[step][LARGE][0]
    assert large <= MAX_RATIO * small + SLACK_SECONDS, (
        f"{step}: {small:.3f} s at {SMALL:,} characters but {large:.3f} s at {LARGE:,} "
        f"({large / max(small, 1e-9):.1f}x for 8x the text)"
    )


def test_json_size_grows_linearly(timings: dict[str, dict[int, tuple[float, Analysis]]]) -> None:
    render = get_renderer("json")
    small = len(render(timings["render:json"][SMALL][1]))
    large = len(render(timings["render:json"][LARGE][1]))
    assert large <= 12 * small, f"JSON of {small:,} bytes at {SMALL:,} characters but {large:,} at {LARGE:,}"


def test_repeated_paragraph_keeps_evidence_bounded() -> None:
    """A paragraph repeated over and over: every flagged repeated phrase cites a bounded number of its other
    occurrences, so the spans' evidence grows with the text, not with its square."""
    from unspin.detectors.techniques import MAX_EVIDENCE, link_repetitions, repeated_phrase_spans

    paragraph = (
        "The corrupt elite will never stop lying to you. They have betrayed the people again and again, "
        "and the corrupt elite will keep betraying them until the people rise up and take back their country.\n\n"
    )
    sizes = {}
    for copies in (40, 320):
        text = paragraph * copies
        first = text.index("corrupt elite")
        flagged = [(first, first + len("corrupt elite"), "Repetition", 0.9)]
        reps, evidence = link_repetitions(text, flagged)
        # every paragraph flagged as persuasive: its content phrases are Repetition everywhere
        paragraphs = [(k * len(paragraph), (k + 1) * len(paragraph) - 2) for k in range(copies)]
        more_reps, more = repeated_phrase_spans(text, paragraphs)
        assert len(reps) == 2 * copies  # every occurrence of the flagged phrase is reported
        assert more_reps  # "corrupt elite" and the other repeated content phrases
        lists = [*evidence.values(), *more.values()]
        assert max(len(links) for links in lists) == MAX_EVIDENCE
        sizes[copies] = sum(len(links) for links in lists)
    assert sizes[320] <= 8 * sizes[40] + MAX_EVIDENCE * 8
