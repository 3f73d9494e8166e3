"""Renderers: each turns one `Analysis` into text. Built-ins register the way an extension would.

A renderer is called with the analysis and keyword options: `color` (the output is a terminal that shows
styles), `width` (its columns), `show_all` (lift every cut list) and `all_claims` (list the claims outside the
`selected` cut too). Renderers ignore what does not apply to them.
"""

from __future__ import annotations

from typing import Protocol

from unspin._imports import import_object
from unspin.analysis import Analysis
from unspin.errors import BadOption


class Renderer(Protocol):
    def __call__(
        self,
        analysis: Analysis,
        *,
        color: bool = False,
        width: int | None = None,
        show_all: bool = False,
        all_claims: bool = False,
    ) -> str: ...


_RENDERERS: dict[str, str | Renderer] = {
    "text": "unspin.render.terminal:render",
    "json": "unspin.render.json:render",
    "html": "unspin.render.html:render",
    "md": "unspin.render.markdown:render",
    "csv": "unspin.render.csv:render",
}


def register_renderer(name: str, renderer: str | Renderer) -> None:
    _RENDERERS[name] = renderer


def formats() -> list[str]:
    return list(_RENDERERS)


def get_renderer(name: str) -> Renderer:
    try:
        renderer = _RENDERERS[name]
    except KeyError:
        raise BadOption(f"unknown format {name!r}; choose from {', '.join(formats())}") from None
    if isinstance(renderer, str):
        loaded: Renderer = import_object(renderer)
        _RENDERERS[name] = loaded
        return loaded
    return renderer


def render(
    analysis: Analysis,
    fmt: str = "text",
    *,
    color: bool = False,
    width: int | None = None,
    show_all: bool = False,
    all_claims: bool = False,
) -> str:
    return get_renderer(fmt)(analysis, color=color, width=width, show_all=show_all, all_claims=all_claims)


__all__ = ["Renderer", "formats", "get_renderer", "register_renderer", "render"]
