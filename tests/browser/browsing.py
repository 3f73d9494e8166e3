"""What the browser tests share: Debian's Chromium driven by Playwright for Python, and pages that record every
request, dialog, console message and script error, with any request outside what the test allows refused (so
a page that tries to reach the network fails its test instead of reaching it)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

CHROMIUM = os.environ.get("UNSPIN_CHROMIUM", "/usr/bin/chromium")
# No background networking, updates or sync: the machine's closed network would refuse them, noisily.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def playwright_or_skip() -> Any:
    """Playwright's sync API; the calling test module is skipped, with the reason, when Chromium or Playwright
    is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests need it", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")


@contextmanager
def chromium() -> Iterator[Any]:
    with playwright_or_skip().sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watched:
    """One page in a fresh browser context, with everything it asked for and everything that went wrong."""

    page: Any
    address: str  # the report file's URL, or the server's origin
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]


Recorded = TypeVar("Recorded", bound=Watched)


def watch(
    context: Any,
    address: str,
    allowed: Callable[[str], bool],
    kind: type[Recorded] = Watched,  # type: ignore[assignment]
    console_with_type: bool = False,
) -> Recorded:
    """A new page of `context`, recorded as a `kind`; requests for which `allowed(url)` is false are refused and
    listed."""
    page = context.new_page()
    seen = kind(page, address)

    def route(r: Any) -> None:
        if allowed(r.request.url):
            r.continue_()
        else:
            seen.refused.append(r.request.url)
            r.abort()

    def dialog(d: Any) -> None:
        seen.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("dialog", dialog)
    page.on("console", lambda m: seen.console.append(f"{m.type}: {m.text}" if console_with_type else m.text))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    return seen
