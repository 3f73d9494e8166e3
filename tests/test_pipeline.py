"""The pipeline: detectors chosen by name, run in order, their offsets checked before they are stored."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

import unspin
from unspin import detectors
from unspin.analysis import Entity, Quote
from unspin.detectors.base import Findings, Parsed
from unspin.errors import BadOption
from unspin.pipeline import OffsetError

TEXT = "Reuters reported that the port of Odesa reopened on Monday."


class Shouting:
    name = "shouting"
    id = "tests.shouting.v1"
    requires: tuple[str, ...] = ("entities",)
    assigns = ("quotes",)

    def __call__(self, parsed: Parsed) -> Findings:
        # Reads what the detector it requires found: one quote per entity.
        return {
            "quotes": [Quote(start=e.start, end=e.end, text=e.text, speaker="test") for e in parsed.analysis.entities]
        }


class OffTheEnd:
    name = "off_the_end"
    id = "tests.off_the_end.v1"
    requires: tuple[str, ...] = ()
    assigns = ("entities",)

    def __call__(self, parsed: Parsed) -> Findings:
        return {"entities": [Entity(start=0, end=len(parsed.text) + 5, text="x", label="X")]}


class Trespasser:
    name = "trespasser"
    id = "tests.trespasser.v1"
    requires: tuple[str, ...] = ()
    assigns = ("quotes",)

    def __call__(self, parsed: Parsed) -> Findings:
        return {"claims": []}


class Capitals:
    """Reads no parse: runs beside it, on another thread."""

    name = "capitals"
    id = "tests.capitals.v1"
    requires: tuple[str, ...] = ()
    assigns = ("entities",)
    reads_parse = False

    def __call__(self, parsed: Parsed) -> Findings:
        assert parsed.doc is None  # the parse is not there to read
        words = [(m.start(), m.end()) for m in re.finditer(r"\b[A-Z][a-z]+", parsed.text)]
        return {"entities": [Entity(start=s, end=e, text=parsed.text[s:e], label="CAP") for s, e in words]}


class AfterCapitals(Shouting):
    name = "after_capitals"
    id = "tests.after_capitals.v1"
    requires: tuple[str, ...] = ("capitals",)


@pytest.fixture
def extra_detectors() -> Iterator[None]:
    saved = dict(detectors._REGISTRY)
    detectors.register("shouting", Shouting)
    detectors.register("off_the_end", OffTheEnd)
    detectors.register("trespasser", Trespasser)
    detectors.register("capitals", Capitals)
    detectors.register("after_capitals", AfterCapitals)
    yield
    detectors._REGISTRY.clear()
    detectors._REGISTRY.update(saved)
    detectors.create.cache_clear()


def test_pipeline_only_pulls_in_what_is_required(extra_detectors: None) -> None:
    assert detectors.resolve(only=("shouting",)) == ["entities", "shouting"]
    analysis = unspin.analyze(unspin.Document(text=TEXT), only=("shouting",))
    assert [run.name for run in analysis.detectors] == ["entities", "shouting"]
    assert {q.text for q in analysis.quotes} == {e.text for e in analysis.entities} != set()
    assert analysis.detectors[1].id == "tests.shouting.v1"


def test_pipeline_skip(extra_detectors: None) -> None:
    names = detectors.resolve(skip=("off_the_end", "trespasser", "shouting"))
    assert "off_the_end" not in names and "entities" in names


def test_pipeline_refuses_spans_off_the_text(extra_detectors: None) -> None:
    with pytest.raises(OffsetError, match="outside text"):
        unspin.analyze(unspin.Document(text=TEXT), only=("off_the_end",))


def test_pipeline_refuses_fields_a_detector_does_not_assign(extra_detectors: None) -> None:
    with pytest.raises(OffsetError, match="not in its assigns"):
        unspin.analyze(unspin.Document(text=TEXT), only=("trespasser",))


def test_pipeline_unknown_detector_names_the_available_ones() -> None:
    with pytest.raises(BadOption, match=r"available: .*entities"):
        detectors.resolve(only=("nonsense",))


def test_pipeline_loads_detectors_once() -> None:
    assert detectors.create("entities") is detectors.create("entities")


def test_pipeline_parse_free_detector_runs_beside_the_parse(extra_detectors: None) -> None:
    analysis = unspin.analyze(unspin.Document(text=TEXT), only=("after_capitals",))
    assert [run.name for run in analysis.detectors] == ["capitals", "after_capitals"]
    assert [e.text for e in analysis.entities] == ["Reuters", "Odesa", "Monday"]
    assert [q.text for q in analysis.quotes] == ["Reuters", "Odesa", "Monday"]  # it saw what capitals found


def test_pipeline_background_errors_reach_the_caller(extra_detectors: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Capitals, parsed: Parsed) -> Findings:
        raise RuntimeError("model exploded")

    monkeypatch.setattr(Capitals, "__call__", broken)
    with pytest.raises(RuntimeError, match="model exploded"):
        unspin.analyze(unspin.Document(text=TEXT), only=("capitals",))
