"""The Python API raises only unspin's own documented errors for bad arguments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import unspin
from unspin.errors import BadOption, InputNotFound, UnspinError

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sample-article.txt"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"only": "techniques"}, "only: Input should be a valid tuple"),
        ({"max_bytes": -1}, "max_bytes: Input should be greater than 0"),
        ({"max_bytes": "lots"}, "max_bytes"),
        ({"colour": True}, "colour: Extra inputs are not permitted"),
        ({"published": "yesterday"}, "published"),
        ({"published": dt.date(9999, 12, 31)}, "published: Input should be less than or equal to 2200-12-31"),
        ({"published": dt.date(1, 1, 1)}, "published: Input should be greater than or equal to 1800-01-01"),
        ({"timeout": float("inf")}, "timeout: Input should be a finite number"),
        ({"timeout": float("nan")}, "timeout"),
    ],
)
def test_api_bad_option_values_raise_bad_option(values: dict[str, Any], message: str) -> None:
    with pytest.raises(BadOption, match=message):
        unspin.Options(**values)
    with pytest.raises(BadOption, match=message):
        unspin.analyze(SAMPLE, **values)
    with pytest.raises(BadOption, match=message):
        unspin.analyze(SAMPLE, unspin.Options(), **values)  # overrides are validated too


@pytest.mark.parametrize("source", [123, None, b"article.txt", ["a.txt"], 4.5])
def test_api_bad_source_type_raises_bad_option(source: object) -> None:
    with pytest.raises(BadOption, match="source must be a path, a URL"):
        unspin.analyze(source)  # type: ignore[arg-type]


@pytest.mark.parametrize("source", ["\ud800.txt", "story\x00.txt"])
def test_api_unusable_file_names_raise_input_not_found(source: str) -> None:
    with pytest.raises(InputNotFound, match="cannot read it") as error:
        unspin.analyze(source)
    str(error.value).encode("utf-8")  # the message itself can be printed


@pytest.mark.parametrize("options", ["techniques", 5, {"only": ("entities",)}])
def test_api_options_of_the_wrong_type_raise_bad_option(options: object) -> None:
    with pytest.raises(BadOption, match=r"options must be an unspin\.Options"):
        unspin.load_pipeline(options)  # type: ignore[arg-type]
    with pytest.raises(BadOption, match=r"options must be an unspin\.Options"):
        unspin.analyze(SAMPLE, options)  # type: ignore[arg-type]


def test_api_errors_are_documented_unspin_errors() -> None:
    assert issubclass(BadOption, UnspinError) and BadOption.exit_code == 2
