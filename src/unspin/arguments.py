"""Checking what a caller hands the Python API, so bad arguments raise unspin's own `BadOption`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from unspin.analysis import Document
from unspin.errors import BadOption
from unspin.options import Options


def resolve_options(options: object, values: Mapping[str, Any]) -> Options:
    """`options` (or the defaults) with `values` applied, validated as a whole."""
    if options is None:
        return Options(**values)
    if not isinstance(options, Options):
        raise BadOption(f"options must be an unspin.Options, not {type(options).__name__}")
    if not values:
        return options
    # model_copy(update=...) would skip validation; building a new object checks every value.
    return Options(**{**options.model_dump(), **values})


def check_source(source: object) -> None:
    if isinstance(source, Document | str | os.PathLike):
        return
    raise BadOption(f"source must be a path, a URL, '-' or an unspin.Document, not {type(source).__name__}")
