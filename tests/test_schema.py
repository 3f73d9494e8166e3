"""The shipped JSON Schema is the one generated from the model, and real output validates against it."""

from __future__ import annotations

import json

import jsonschema

import unspin
from unspin.schema import SCHEMA_FILE, schema_text


def test_schema_file_matches_the_model() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run: python -m unspin.schema"


def test_schema_validates_a_real_analysis(sample_text: str) -> None:
    analysis = unspin.analyze(unspin.Document(text=sample_text))
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(analysis.to_json()), schema)
    assert schema["properties"]["schema"]["default"] == unspin.SCHEMA


def test_schema_rejects_a_broken_analysis() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    broken = {"schema": "unspin.analysis/1", "document": {"text": "x"}, "techniques": [{"start": -1}]}
    try:
        jsonschema.validate(broken, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a span with a negative start and no technique validated")


def test_schema_round_trip(sample_text: str) -> None:
    analysis = unspin.analyze(unspin.Document(text=sample_text), only=("entities",))
    assert unspin.Analysis.from_json(analysis.to_json()) == analysis
