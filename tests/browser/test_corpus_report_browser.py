"""The corpus report in a real browser (Playwright driving Debian's /usr/bin/chromium), over a store filled by
`unspin corpus run` from PTC articles and a JSON Lines feed whose site, title and author are hostile.

Every request but the report file itself is aborted and recorded: the page must draw its charts (Plotly SVG)
from what it carries. No article string may run as script or open a dialog, with the Content-Security-Policy
and without it (escaping has to hold on its own), and the page logs no error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browsing import Watched, chromium, playwright_or_skip, watch
from tests.corpus.conftest import ptc_texts

ROOT = Path(__file__).resolve().parents[2]

playwright_or_skip()

HOSTILE_SITE = "<script>alert('site')</script><img src=x onerror=alert('img')>Daily Outrage"
HOSTILE_TITLE = "<a href=\"javascript:alert('title')\">Click</a><svg onload=alert('svg')>"
HOSTILE_AUTHOR = "<iframe src=javascript:alert('author')></iframe>"
SHELLING = (
    "Artillery shelling killed 12 civilians in Avdiivka on Sunday, regional officials said. "
    '"The strikes hit a bus stop and a market," said Pavlo Kyrylenko, the head of the Donetsk regional '
    "administration. The army said it had no forces in the area. "
)


def unspin(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A store made by `corpus run` (every detector), and its reports: by site, by month, one site's page."""
    folder = tmp_path_factory.mktemp("corpus")
    sources = folder / "sources"
    sources.mkdir()
    texts = ptc_texts(3, chars=1500)
    for name, text in texts:
        (sources / name).write_text(text, encoding="utf-8")
    with (sources / "feed.jsonl").open("w", encoding="utf-8") as out:
        for number, (site, title, author, published) in enumerate(
            [
                (HOSTILE_SITE, HOSTILE_TITLE, HOSTILE_AUTHOR, "2024-02-11"),
                ("Example News", "Shelling in Avdiivka", "Jane Doe", "2024-03-04"),
            ],
            1,
        ):
            record = {
                "id": f"story-{number}",
                "url": f"https://news.example.org/{number}",
                "title": title,
                "site": site,
                "author": author,
                "published": published,
                "text": SHELLING + texts[number][1],
            }
            out.write(json.dumps(record) + "\n")
    store = f"sqlite:///{folder / 'store.db'}"
    run = unspin("corpus", "run", str(sources), "--store", store, "--workers", "1", "--quiet")
    assert run.returncode == 0 and "stored 5" in run.stderr, run.stderr
    reports = {"site": folder / "by-site.html", "month": folder / "by-month.html", "page": folder / "page.html"}
    for kind, extra in (("site", ()), ("month", ("--by", "month")), ("page", ("--site", HOSTILE_SITE))):
        made = unspin("corpus", "report", "--store", store, "--out", str(reports[kind]), *extra)
        assert made.returncode == 0, made.stderr
    return reports


Loaded = Watched


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Loaded]]:
    contexts: list[Any] = []

    def load(path: Path, strip_csp: bool = False) -> Loaded:
        if strip_csp:  # escaping must hold without the CSP as a safety net
            page_text = path.read_text(encoding="utf-8")
            page_text = page_text.replace('http-equiv="Content-Security-Policy"', 'name="csp-removed-by-test"', 1)
            assert "Content-Security-Policy" not in page_text
            path = tmp_path / "no-csp.html"
            path.write_text(page_text, encoding="utf-8")
        url = path.as_uri()
        context = browser.new_context(java_script_enabled=True, viewport={"width": 1200, "height": 900})
        contexts.append(context)
        loaded = watch(context, url, lambda requested: requested == url, console_with_type=True)
        page = loaded.page
        page.goto(url, wait_until="load")
        page.wait_for_function(
            "document.querySelectorAll('.chart').length === document.querySelectorAll('.chart.drawn').length",
            timeout=20_000,
        )
        return loaded

    yield load
    for c in contexts:
        c.close()


def assert_clean(r: Loaded) -> None:
    assert r.requests == [r.address], f"the report made other requests: {r.requests}"
    assert not r.dialogs, r.dialogs
    assert not r.errors, r.errors
    assert not [m for m in r.console if m.startswith(("error", "warning"))], r.console


def test_corpus_report_draws_every_chart_offline(
    open_report: Callable[..., Loaded], report_files: dict[str, Path]
) -> None:
    r = open_report(report_files["site"])
    assert_clean(r)
    charts = r.page.locator(".chart")
    assert charts.count() >= 6  # techniques by site and over time, opinion, source mix, most cited, claims, events
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg.main-svg").count() >= 1, charts.nth(i).get_attribute("id")
    assert r.page.locator("#techniques-by-group .barlayer .point path").count() > 0
    assert r.page.locator("#events-over-time .barlayer .point path").count() > 0  # the planted shelling was found
    assert r.page.locator("#most-cited .barlayer .point path").count() > 0
    rows = r.page.locator("#techniques-by-group table tbody tr")
    assert rows.count() == 3  # (unknown) for the plain text files, the hostile site, Example News


def test_corpus_report_hostile_strings_stay_text(
    open_report: Callable[..., Loaded], report_files: dict[str, Path]
) -> None:
    for strip_csp in (False, True):
        r = open_report(report_files["site"], strip_csp=strip_csp)
        assert_clean(r)
        page = r.page
        assert page.evaluate("document.querySelectorAll('iframe, img, a[href^=javascript], svg[onload]').length") == 0
        assert page.evaluate("document.querySelectorAll('script:not([type])').length") == 2  # plotly.js and ours
        cells = page.locator("#opinion-by-group table tbody th").all_text_contents()
        assert HOSTILE_SITE in cells  # shown whole, as text
        ticks = " ".join(page.locator("#opinion-by-group .xtick text").all_text_contents())
        assert "<script>alert('site')</script>" in ticks  # Plotly shows the name literally (shortened)
        bar = page.locator("#source-mix .barlayer .point path").first
        bar.hover(force=True)
        page.wait_for_timeout(200)
        hover = " ".join(page.locator(".hoverlayer .hovertext").all_text_contents())
        assert "quotes" in hover
        assert not r.dialogs, r.dialogs


def test_corpus_report_by_month_and_a_sites_page(
    open_report: Callable[..., Loaded], report_files: dict[str, Path]
) -> None:
    r = open_report(report_files["month"])
    assert_clean(r)
    assert r.page.locator("#techniques-by-group").count() == 0  # by month, the outlet chart is the monthly one
    months = r.page.locator("#opinion-by-group table tbody th").all_text_contents()
    assert months[:2] == ["2024-02", "2024-03"]
    r = open_report(report_files["page"])
    assert_clean(r)
    assert r.page.locator("h1").text_content() == HOSTILE_SITE
    assert r.page.locator(".meta").text_content().split()[0] == "1"  # one article
    assert r.page.title() == f"{HOSTILE_SITE} — unspin corpus report"
    assert r.page.locator(".chart.drawn").count() >= 4
