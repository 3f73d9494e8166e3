"""The JSON Schema of the analysis, generated from the model and shipped beside it."""

from __future__ import annotations

import json
from pathlib import Path

from unspin.analysis import json_schema

SCHEMA_FILE = Path(__file__).with_name("analysis.schema.json")


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def write(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(schema_text(), encoding="utf-8")
    return path
