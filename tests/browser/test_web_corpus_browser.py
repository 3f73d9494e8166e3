"""The corpus pages in a real browser: `unspin serve` on a free loopback port, over a store filled by
`unspin corpus run`, driven by Playwright for Python with Debian's /usr/bin/chromium.

Every request a page makes is recorded and anything not addressed to the server itself is aborted and fails the
test; a hostile article (scripts, handlers, `javascript:` links, SVG, a hostile title, site and URL) must run
nothing, open no dialog and request nothing, on every corpus page and in its report.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from tests.browser.browsing import Watched, chromium, playwright_or_skip, watch
from tests.web.corpus_fixtures import HOSTILE, HOSTILE_MARK, corpus_store_path

ROOT = Path(__file__).resolve().parents[2]

playwright_or_skip()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`unspin serve --port 0` on the test corpus; its address, read from the line it prints at start."""
    store = corpus_store_path(tmp_path_factory)
    process = subprocess.Popen(
        [sys.executable, "-m", "unspin", "serve", "--port", "0", "--workers", "1", "--store", f"sqlite:///{store}"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.stderr is not None
    address = None
    deadline = time.monotonic() + 120
    while address is None and time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        found = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", line)
        address = found.group(1) if found else None
    try:
        assert address is not None, f"unspin serve did not start (exit {process.poll()})"
        wait_until_answering(address + "/corpus/sources", deadline)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_answering(url: str, deadline: float) -> None:
    """The socket is bound before the app's start-up ends: poll until a page is served."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


class Visit(Watched):
    """A page on the server (`address` is its origin)."""

    def assert_clean(self) -> None:
        assert not self.refused, f"requests off the server: {self.refused}"
        assert all(urlsplit(url).netloc == urlsplit(self.address).netloc for url in self.requests), self.requests
        assert not self.dialogs, self.dialogs
        assert not self.errors, self.errors
        assert not self.csp_violations(), self.csp_violations()
        assert self.page.evaluate(f"() => window[{HOSTILE_MARK!r}] === undefined")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Callable[[str], Visit]]:
    contexts: list[Any] = []

    def open_page(path: str) -> Visit:
        context = browser.new_context()
        contexts.append(context)
        seen = watch(context, server, lambda url: urlsplit(url).netloc == urlsplit(server).netloc, kind=Visit)
        page = seen.page
        page.goto(server + path, wait_until="load")
        return seen

    yield open_page
    for context in contexts:
        context.close()


def test_filter_the_list_and_open_a_report(visit: Callable[[str], Visit]) -> None:
    seen = visit("/corpus/documents")
    page = seen.page
    assert page.locator("table.docs tbody tr").count() == 10
    page.select_option("#site", "riverside.example")
    page.fill("#date_from", "2026-04-01")
    page.click("#filter")
    page.wait_for_url(re.compile(r"site=riverside\.example"))
    assert page.locator("#count").inner_text() == "1 article matches."
    assert page.locator("a.doc").all_inner_texts() == ["Bridge collapse in Genoa kills 23"]
    assert page.locator("#site").input_value() == "riverside.example"  # the form keeps the filter
    page.select_option("#has_number", "false")
    page.click("#filter")
    page.wait_for_url(re.compile(r"has_number=false"))
    assert page.locator("#count").inner_text() == "0 articles match."
    page.goto(seen.address + "/corpus/documents?q=toll")
    page.click("a.doc")
    page.wait_for_url(re.compile(r"/corpus/documents/[0-9a-f]+$"))
    assert "Genoa bridge toll rises" in page.locator("h1").first.inner_text()
    assert page.locator("mark.hl").count() >= 1 or page.locator("#article").count() == 1  # the CLI's report
    seen.assert_clean()


def test_open_a_source_page_from_the_list(visit: Callable[[str], Visit]) -> None:
    seen = visit("/corpus/documents?q=stadium")
    page = seen.page
    page.click("table.docs a[href^='/corpus/source']")
    page.wait_for_url(re.compile(r"/corpus/source\?name=harbourpost\.example"))
    assert page.locator("#source-name").inner_text() == "harbourpost.example"
    assert page.locator(".figures dd").first.inner_text() == "2"
    assert page.locator("svg.bars").count() >= 1 and page.locator("svg.bars").first.is_visible()
    page.click("#source-charts")  # the site's page of `unspin corpus report`, drawn by Plotly
    page.wait_for_url(re.compile(r"/corpus/source/report\?name=harbourpost\.example"))
    page.wait_for_selector(".chart svg.main-svg", timeout=60_000)
    assert page.locator(".chart svg.main-svg").count() >= 1
    seen.assert_clean()


def test_open_a_claim_cluster_and_follow_it_to_an_article(visit: Callable[[str], Visit]) -> None:
    seen = visit("/corpus/claims")
    page = seen.page
    page.locator("a.cluster", has_text="Genoa").click()
    page.wait_for_url(re.compile(r"/corpus/claims/[^/]+$"))
    assert "Genoa" in page.locator("#claim-text").inner_text()
    assert page.locator(".disagreements li").count() == 2
    assert page.locator("svg.spread circle.dot").count() == 3
    page.locator("a.variant").nth(1).click()
    page.wait_for_url(re.compile(r"/corpus/documents/[0-9a-f]+#at-\d+$"))
    assert "Genoa" in page.locator("h1").first.inner_text()
    seen.assert_clean()


def test_events_map_and_timeline_draw_offline(visit: Callable[[str], Visit]) -> None:
    seen = visit("/corpus/events")
    page = seen.page
    assert page.locator("svg.map .land path").count() >= 1
    assert page.locator("svg.map circle.event").count() >= 3
    assert page.locator("svg.timeline rect.col").count() >= 1
    box = page.locator("svg.map").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    seen.assert_clean()


def test_a_hostile_article_runs_nothing_and_requests_nothing_anywhere(visit: Callable[[str], Visit]) -> None:
    first = visit("/corpus/documents?q=evil.example")
    hostile_links = first.page.locator("a.doc")
    assert hostile_links.count() == 1
    assert hostile_links.inner_text() == HOSTILE["title"]  # the markup shown as text
    assert first.page.locator("table.docs a[href^='javascript']").count() == 0
    assert first.page.locator("table.docs img, table.docs svg, table.docs script").count() == 0
    report_path = urlsplit(hostile_links.get_attribute("href") or "").path
    hostile_links.hover()
    first.assert_clean()
    paths = [
        "/corpus/documents",
        "/corpus/sources",
        "/corpus/claims",
        "/corpus/events",
        "/corpus/failures",
        "/corpus/claims?like=storm+damaged+the+harbour",
        report_path,
        "/corpus/report",
        "/corpus/source/report?" + urlencode({"name": HOSTILE["site"]}),
    ]
    for path in paths:
        seen = visit(path)
        seen.page.mouse.move(200, 300)
        seen.page.wait_for_timeout(150)
        seen.assert_clean()
    source = visit("/corpus/sources")
    source.page.locator("table.sources a", has_text="evil.example").click()
    source.page.wait_for_load_state("load")
    assert source.page.locator("#source-name").inner_text() == HOSTILE["site"]
    source.page.wait_for_timeout(150)
    source.assert_clean()
