"""The detector registry: a plain dict from name to factory, in running order.

Built-in detectors are named by import path so that a detector's models and heavy imports load only
when it is used. Extensions call `register`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from unspin._imports import import_object
from unspin.detectors.base import Detector, Findings, Parsed
from unspin.errors import BadOption

__all__ = ["Detector", "Findings", "Parsed", "available", "create", "register", "resolve"]

Factory = Callable[[], Detector]

_REGISTRY: dict[str, str | Factory] = {
    "techniques": "unspin.detectors.techniques:TechniquesDetector",
    "entities": "unspin.detectors.entities:EntitiesDetector",
    "sources": "unspin.detectors.sources:SourcesDetector",
    "subjectivity": "unspin.detectors.subjectivity:SubjectivityDetector",
    "claims": "unspin.detectors.claims:ClaimsDetector",
    "places": "unspin.detectors.places:PlacesDetector",
    "dates": "unspin.detectors.dates:DatesDetector",
    "events": "unspin.detectors.events:EventsDetector",
}


def register(name: str, factory: str | Factory) -> None:
    """Add a detector; it runs after the ones registered before it."""
    _REGISTRY[name] = factory
    create.cache_clear()


def available() -> list[str]:
    return list(_REGISTRY)


@functools.cache
def create(name: str) -> Detector:
    """One instance per process, so models load once."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise BadOption(f"unknown detector {name!r}; available: {', '.join(available())}") from None
    if isinstance(factory, str):
        factory = import_object(factory)
    return factory()


def resolve(only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> list[str]:
    """Names to run, in registry order: `only` plus what those require, less `skip`."""
    for name in (*only, *skip):
        if name not in _REGISTRY:
            raise BadOption(f"unknown detector {name!r}; available: {', '.join(available())}")
    if not only:
        wanted = set(_REGISTRY)
    else:
        wanted = set()
        pending = list(only)
        while pending:
            name = pending.pop()
            if name not in wanted:
                wanted.add(name)
                pending.extend(create(name).requires)
    return [name for name in _REGISTRY if name in wanted and name not in skip]
