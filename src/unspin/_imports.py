"""Registries name built-ins by import path so that heavy modules load only when used."""

from __future__ import annotations

import importlib
from typing import Any


def import_object(path: str) -> Any:
    """The object at 'package.module:attribute'."""
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
