"""The web app in a real browser: Playwright driving Debian's /usr/bin/chromium against `unspin serve`.

Every request a page makes is recorded, and any request that leaves the server is aborted and fails the test:
the app's pages, its scripts and the reports load nothing from elsewhere. A hostile article (script tags,
event handlers, `javascript:` links, SVG, a hostile title, file name and URL) must run nothing. The walk
saves the screenshots the README shows (docs/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browsing import Watched, chromium, playwright_or_skip, watch
from tests.web.conftest import NEWS_HTML, NEWS_TEXT, ROOT, Served

DOCS = ROOT / "docs"
REPORT_WAIT_MS = 180_000

playwright_or_skip()

HOSTILE_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>&lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;<svg onload=window.__pwned=1> Minister quits</title>
<meta name="author" content="&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;">
<meta property="og:site_name" content="<script>window.__pwned=1</script>">
<link rel="canonical" href="javascript:window.__pwned=1">
<meta property="og:url" content="javascript:window.__pwned=1//https://news.example/">
<link rel="stylesheet" href="https://tracker.example/style.css">
<script>window.__pwned = 1;</script>
<script src="https://tracker.example/beacon.js"></script>
</head>
<body onload="window.__pwned=1">
<article>
<h1>Minister resigns after budget vote</h1>
<p>The finance minister resigned on Wednesday after parliament rejected her budget by 12 votes, the prime
minister's office said. <script>window.__pwned=1</script> Opposition leaders called the budget "a reckless
gamble with the savings of ordinary families".</p>
<p><img src="https://tracker.example/pixel.gif" onerror="window.__pwned=1">Analysts said the vote would delay
the new pension law by at least six months. <a href="javascript:window.__pwned=1">Read the full statement</a>.</p>
<p><svg width="10" height="10" onload="window.__pwned=1"><script>window.__pwned=1</script>
<a xlink:href="javascript:window.__pwned=1"><text>svg link</text></a></svg>The central bank said inflation
stood at 4.2 percent in October. <iframe src="https://tracker.example/frame"></iframe></p>
<p>Text with a literal tag: &lt;script&gt;window.__pwned=1&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;
written out, as a reporter might quote them.</p>
</article>
</body></html>
"""
HOSTILE_NAME = '"><img src=x onerror="window.__pwned=1">budget.html'
HOSTILE_URL = 'https://news.invalid/"><script>window.__pwned=1</script><svg onload=window.__pwned=1>'


class Visit(Watched):
    """A page on the server (`address` is its origin)."""

    def assert_clean(self) -> None:
        assert not self.refused, f"requests left the server: {self.refused}"
        assert all(url.startswith(self.address) for url in self.requests), self.requests
        assert not self.dialogs, self.dialogs
        assert not self.csp_violations(), self.csp_violations()
        assert not self.errors, self.errors
        assert self.page.evaluate("window.__pwned") is None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("web-browser") / "store.db"
    served = Served("--workers", "1", "--store", f"sqlite:///{store}")
    try:
        yield served.wait_ready()
    finally:
        served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Callable[..., Visit]]:
    contexts: list[Any] = []

    def open_visit(**context_options: Any) -> Visit:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, **context_options)
        contexts.append(context)
        origin = server.rstrip("/")
        seen = watch(context, origin, lambda url: url.startswith(origin + "/"), kind=Visit)
        return seen

    yield open_visit
    for context in contexts:
        context.close()


def wait_for_report(page: Any) -> None:
    page.wait_for_url("**/analyses/*/report", timeout=REPORT_WAIT_MS)
    page.wait_for_load_state("load")


def test_web_browser_paste_a_text_and_read_the_report(visit: Callable[..., Visit], server: str) -> None:
    v = visit()
    page = v.page
    page.goto(server)
    assert page.title() == "Analyse an article — unspin"
    page.fill("#text", NEWS_TEXT)
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "web-analyse.png"))
    page.click("#analyse")
    page.wait_for_url("**/analyses/**", timeout=30_000)
    wait_for_report(page)  # the job page's script polled the status and opened the report
    assert page.locator("h1").first.inner_text() == "City council approves new flood barrier"
    assert page.locator("mark.hl").count() >= 1  # the report's own script and style ran under its policy
    page.locator("mark.hl").first.click()
    assert page.locator("#details-body").inner_text() != ""
    page.screenshot(path=str(DOCS / "web-report.png"))
    v.assert_clean()


def test_web_browser_upload_an_html_file(visit: Callable[..., Visit], server: str, tmp_path: Path) -> None:
    article = tmp_path / "port-strike.html"
    article.write_text(NEWS_HTML, encoding="utf-8")
    v = visit()
    page = v.page
    page.goto(server)
    page.set_input_files("#file", str(article))
    page.click("#analyse")
    wait_for_report(page)
    assert page.locator("h1").first.inner_text() == "Port strike enters second week"
    assert "Harbour Gazette" in page.locator("header.top").inner_text()
    v.assert_clean()


def test_web_browser_without_script_the_job_page_refreshes_to_the_report(
    visit: Callable[..., Visit], server: str
) -> None:
    v = visit(java_script_enabled=False)
    page = v.page
    page.goto(server)
    page.fill("#text", NEWS_TEXT.replace("48 million", "52 million"))
    page.click("#analyse")
    wait_for_report(page)
    assert "52 million euros" in page.locator("#article").inner_text()
    v.assert_clean()


def test_web_browser_hostile_article_runs_nothing_and_requests_nothing(
    visit: Callable[..., Visit], server: str, tmp_path: Path
) -> None:
    upload = tmp_path / "budget.html"
    upload.write_text(HOSTILE_HTML, encoding="utf-8")
    v = visit()
    page = v.page
    page.goto(server)
    # the hostile file name travels in the upload itself, as a browser would send any name
    page.set_input_files("#file", {"name": HOSTILE_NAME, "mimeType": "text/html", "buffer": upload.read_bytes()})
    page.click("#analyse")
    wait_for_report(page)
    body = page.locator("body").inner_text()
    assert "Minister resigns" in body or "finance minister resigned" in body
    assert page.locator("#article script, #article svg, #article iframe, #article img").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs
    handlers = page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
    )
    assert handlers == []
    for link in page.locator("#article a").all():  # any link the report made: clicking runs nothing
        link.click()
    page.wait_for_timeout(200)
    v.assert_clean()


def test_web_browser_hostile_url_is_refused_with_an_escaped_message(visit: Callable[..., Visit], server: str) -> None:
    v = visit()
    page = v.page
    page.goto(server)
    page.fill("#url", HOSTILE_URL)
    page.click("#analyse")
    page.wait_for_selector("#job[data-state='failed'], .error", timeout=60_000)
    page.wait_for_function(
        "document.querySelector('#job-error') === null || !document.querySelector('#job-error').hidden"
        " || document.querySelector('#job[data-state=failed]') !== null",
        timeout=60_000,
    )
    text = page.locator("main").inner_text()
    assert "news.invalid" in text  # the address is shown, as text
    assert page.locator("main script, main svg").count() == 0
    v.assert_clean()


def test_web_browser_api_docs_page_is_local(visit: Callable[..., Visit], server: str) -> None:
    v = visit()
    page = v.page
    page.goto(server + "docs")
    assert page.locator("code", has_text="/api/analyze").count() >= 1
    page.click("a[href='/openapi.json']")
    assert '"openapi"' in page.content()
    v.assert_clean()
