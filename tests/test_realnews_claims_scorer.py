"""The realnews claims scorer's matching rules (speaker agreement, spans), on hand-made cases."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def scorer() -> Any:
    spec = importlib.util.spec_from_file_location("realnews_claims", ROOT / "benchmarks" / "realnews_claims.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_speakers_agree_on_surname_description_and_acronym() -> None:
    agree = scorer().speakers_agree
    assert agree("Cruz", "Nadia Cruz")
    assert agree("a doctor", "a doctor on the scene")
    assert agree("Patrick W. Carlineo", "Patrick Carlineo Jr.")
    assert agree("DEA", "Drug Enforcement Administration")
    assert agree("Mr. Patel", "Ravi Patel")
    assert agree(None, None)


def test_speakers_disagree_on_other_names_and_missing_speakers() -> None:
    agree = scorer().speakers_agree
    assert not agree("Meghan cry", "Meghan Markle")
    assert not agree("Kurt Volker", "Fiona Hill")
    assert not agree(None, "Fiona Hill")
    assert not agree("Fiona Hill", None)
    assert not agree("the", "the ministry")  # a run of minor words alone is not a match


def test_occurrences_and_overlap() -> None:
    module = scorer()
    assert module.occurrences("a b a b a", "a b") == [(0, 3), (4, 7)]
    assert module.overlap((0, 10), (5, 20)) == 5
    assert module.overlap((0, 4), (5, 9)) == 0
