"""Quality gate: quote and speaker precision/recall on the hand-annotated articles must not drop below a floor.

Floors sit under the figures in BENCHMARKS.md ("Quotes and sources"), leaving room for small parser changes.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUOTES = ROOT / "tests" / "fixtures" / "quotes"


def scorer() -> Any:
    spec = importlib.util.spec_from_file_location("sources_eval", ROOT / "benchmarks" / "sources_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("folder", "floor"), [(QUOTES, 0.9), (QUOTES / "dev2", 0.85), (QUOTES / "heldout", 0.85)])
def test_sources_eval_quote_and_speaker_above_floor(nlp: Any, folder: Path, floor: float) -> None:
    result = scorer().score(None, gold_dir=folder)
    assert result["quote_precision"] >= floor, result
    assert result["quote_recall"] >= floor, result
    assert result["quote_speaker_precision"] >= floor, result
    assert result["quote_speaker_recall"] >= floor, result


def test_sources_eval_speaker_matching_rules() -> None:
    module = scorer()
    assert module.same_speaker("Health Ministry", "Health Ministry in Gaza")
    assert module.same_speaker("the Kremlin", "Kremlin")
    assert module.same_speaker("Rick", ["Rick", "caller"])
    assert not module.same_speaker(None, "Rick")
    assert not module.same_speaker("Peskov", "Shoigu")
