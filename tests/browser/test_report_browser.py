"""The HTML report in a real browser: Playwright for Python driving Debian's /usr/bin/chromium.

Every page load blocks the network: any request other than the report file itself fails the test, which proves
the report is self-contained. Hostile articles must run no script and open no dialog; our own script must run
under the report's Content-Security-Policy (a blocked script would fail the click tests).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from tests.browser.browsing import Watched, chromium, playwright_or_skip, watch

from unspin.analysis import Analysis, Document
from unspin.render.html import render

playwright_or_skip()


def _fixtures() -> ModuleType:
    """The hand-built analyses of tests/render/conftest.py, loaded by path (no clash with tests/conftest.py)."""
    path = Path(__file__).resolve().parent.parent / "render" / "conftest.py"
    spec = importlib.util.spec_from_file_location("unspin_render_fixtures", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIX = _fixtures()


Loaded = Watched


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Loaded]]:
    contexts: list[Any] = []

    def load(analysis: Analysis, name: str = "report.html", strip_csp: bool = False, **context_options: Any) -> Loaded:
        path = tmp_path / name
        report = render(analysis)
        if strip_csp:  # prove escaping holds on its own, without the CSP as a safety net
            report = report.replace('http-equiv="Content-Security-Policy"', 'name="csp-removed-by-test"', 1)
            assert "Content-Security-Policy" not in report
        path.write_text(report, encoding="utf-8")
        url = path.as_uri()
        context = browser.new_context(java_script_enabled=True, **context_options)
        contexts.append(context)
        loaded = watch(context, url, lambda requested: requested == url)
        page = loaded.page
        page.goto(url, wait_until="load")
        page.wait_for_timeout(100)
        return loaded

    yield load
    for c in contexts:
        c.close()


def assert_clean(r: Loaded) -> None:
    assert r.requests == [r.address], f"the report made other requests: {r.requests}"
    assert not r.dialogs, r.dialogs
    assert not r.csp_violations(), r.csp_violations()
    assert not r.errors, r.errors


# ------------------------------------------------------------------------------------------ rendering


def test_report_browser_highlights_render(open_report: Callable[..., Loaded]) -> None:
    analysis = FIX.build_sample()
    r = open_report(analysis)
    page = r.page
    assert page.locator("mark.hl[tabindex]").count() == len(analysis.techniques)
    mark = page.locator("mark.hl[data-i='2']")  # "barbaric, cowardly attack", loaded language
    assert mark.first.is_visible()
    colour = mark.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(255, 179, 179)"  # the taxonomy's colour for Loaded_Language: the stylesheet applied
    # the article text reads back exactly, nested marks and all
    text = page.locator("#article").evaluate(
        "e => { const c = e.cloneNode(true); c.querySelectorAll('.fnref').forEach(x => x.remove());"
        " return c.textContent; }"
    )
    assert text == analysis.document.text
    assert page.locator(".legend li").count() == len({t.technique for t in analysis.techniques})
    assert "Loaded language" in (page.locator("mark[data-i='3']").first.get_attribute("title") or "")
    assert_clean(r)


def test_report_browser_click_shows_details(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    details = page.locator("#details-body")
    assert details.inner_text() == ""
    page.get_by_text("barbaric,", exact=False).first.click()
    body = details.inner_text()
    assert "Loaded language" in body and "93%" in body and "emotional charge" in body and "barbaric" in body
    assert page.locator("#details-hint").is_hidden()
    assert page.locator("mark.hl.active").count() >= 1
    assert_clean(r)


def test_report_browser_overlap_click_lists_every_span(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    page.locator("mark[data-i='3']").first.click()  # "cowardly": inside the loaded-language span
    body = page.locator("#details-body").inner_text()
    assert "Loaded language" in body and "Name calling / labelling" in body and "62%" in body
    assert page.locator("#details-body .entry").count() == 2
    assert_clean(r)


def test_report_browser_hover_previews_details(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    inner = page.locator("mark[data-i='3']").first
    inner.hover()
    title = inner.get_attribute("title") or ""
    assert "LL Loaded language 93%" in title and "NC Name calling / labelling 62%" in title
    body = page.locator("#details-body").inner_text()
    assert "Name calling / labelling" in body and "62%" in body and "Pinning a label" in body  # definition
    assert "preview" in (page.locator("#details").get_attribute("class") or "")
    # a click pins the details: hovering elsewhere no longer replaces them
    inner.click()
    page.locator("mark[data-i='9']").first.hover()
    assert "Name calling" in page.locator("#details-body").inner_text()
    assert "preview" not in (page.locator("#details").get_attribute("class") or "")
    assert_clean(r)


def test_report_browser_legend_jumps_to_next_occurrence(open_report: Callable[..., Loaded]) -> None:
    analysis = FIX.build_sample()
    r = open_report(analysis)
    page = r.page
    loaded = sorted((t.start, t.score) for t in analysis.techniques if t.technique == "Loaded_Language")
    button = page.locator("button[data-next='0']")
    seen = []
    for _ in range(len(loaded) + 1):
        button.click()
        seen.append(page.evaluate("document.activeElement.getAttribute('data-i')"))
        assert "Loaded language" in page.locator("#details-body").inner_text()
    assert len(set(seen[:-1])) == len(loaded) and seen[-1] == seen[0]  # visits each, then wraps around
    assert_clean(r)


def test_report_browser_keyboard_opens_details(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    first = page.locator("mark.hl[tabindex]").first
    first.focus()
    page.keyboard.press("Enter")
    assert "Loaded language" in page.locator("#details-body").inner_text()
    page.keyboard.press("Escape")
    assert page.locator("#details-body").inner_text() == ""
    # tab order reaches the highlights
    page.locator("#article").evaluate("e => e.focus()")
    labels = [page.locator("mark.hl[tabindex]").nth(i).get_attribute("aria-label") or "" for i in range(3)]
    assert all("%" in lab for lab in labels)
    assert_clean(r)


def test_report_browser_repetition_evidence_jumps(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    article = FIX.ARTICLE
    first = article.index("The so-called peace talks")
    second = article.index("The so-called peace talks", first + 1)
    page.locator(f"#article [id='at-{second}'] mark.hl").first.click()
    link = page.locator("#details-body a.jump", has_text="The so-called peace talks").last
    link.click()
    page.wait_for_timeout(100)
    assert page.evaluate("location.hash") == f"#at-{first}"
    assert page.locator(f"[data-o='{first}'].flash").count() == 1
    assert_clean(r)


def test_report_browser_toggle_hides_technique(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    loaded = page.locator("mark.t0").first  # t0: Loaded_Language, first in taxonomy order
    assert loaded.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 179, 179)"
    page.locator("input[data-k='0']").uncheck()
    assert loaded.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    other = page.locator("mark.t1").first
    assert other.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # a click on a hidden technique no longer lists it
    page.locator("mark[data-i='3']").first.click()
    body = page.locator("#details-body").inner_text()
    assert "Name calling" in body and "Loaded language" not in body
    page.locator("#show-all").click()
    assert loaded.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 179, 179)"
    assert_clean(r)


def test_report_browser_layers_toggle(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    op = page.locator(".sent.op").first
    assert op.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
    page.locator("input[data-layer='no-shade']").uncheck()
    assert op.evaluate("e => getComputedStyle(e).borderLeftStyle") == "none"
    claim = page.locator("#article .cl").first
    assert claim.evaluate("e => getComputedStyle(e).borderBottomStyle") == "none"
    page.locator("input[data-layer='show-claims']").check()
    assert claim.evaluate("e => getComputedStyle(e).borderBottomStyle") == "dashed"
    assert_clean(r)


def test_report_browser_quote_jumps_to_text(open_report: Callable[..., Loaded]) -> None:
    analysis = FIX.build_sample()
    r = open_report(analysis)
    page = r.page
    q = analysis.quotes[0]
    page.locator("#quotes blockquote a.jump").first.click()
    page.wait_for_timeout(100)
    assert page.evaluate("location.hash") == f"#at-{q.start}"
    assert page.locator("#article [data-o].flash").count() >= 1
    assert page.locator(f"#at-{q.start}").is_visible()
    assert_clean(r)


def test_report_browser_print_stylesheet(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    page.emulate_media(media="print")
    assert page.locator("#details").is_hidden()
    assert page.locator(".legend input").first.is_hidden()
    assert page.locator("#article .fnref").first.is_visible()
    assert page.locator("#passages .entry .def").first.is_visible()
    mark = page.locator("mark.t0").first
    assert mark.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert mark.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
    assert_clean(r)


def test_report_browser_empty_analysis(open_report: Callable[..., Loaded]) -> None:
    r = open_report(Analysis(document=Document(text="")))
    assert r.page.locator("h1").inner_text() == "Untitled article"
    assert_clean(r)


# ------------------------------------------------------------------------------------------ hostile input


@pytest.mark.parametrize("strip_csp", [False, True], ids=["with-csp", "csp-stripped"])
@pytest.mark.parametrize("payload", FIX.HOSTILE, ids=[f"payload{i}" for i in range(len(FIX.HOSTILE))])
def test_report_browser_hostile_article_runs_nothing(
    open_report: Callable[..., Loaded], payload: str, strip_csp: bool
) -> None:
    analysis = FIX.build_hostile(payload)
    r = open_report(analysis, strip_csp=strip_csp)
    page = r.page
    # interact with everything a reader might: highlights, jump links, the details panel
    for i in range(page.locator("mark.hl[tabindex]").count()):
        page.locator("mark.hl[tabindex]").nth(i).click()
    for i in range(page.locator("a.jump").count()):
        link = page.locator("a.jump").nth(i)
        if link.is_visible():
            link.click()
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("typeof parent.__pwned") == "undefined"
    assert page.locator("#article script, #article img, #article iframe, #article svg").count() == 0
    assert page.title().startswith(payload.strip()[:5]) or payload.strip() == ""
    text = page.locator("#article").evaluate(
        "e => { const c = e.cloneNode(true); c.querySelectorAll('.fnref').forEach(x => x.remove());"
        " return c.textContent; }"
    )
    assert text == analysis.document.text  # shown, as text
    assert page.locator("header a[href^='javascript']").count() == 0
    assert (
        page.locator("a[href]").evaluate_all(
            "as => as.map(a => a.getAttribute('href')).filter(h => !h.startsWith('#'))"
        )
        == []
    )
    assert_clean(r)


@pytest.mark.parametrize("strip_csp", [False, True], ids=["with-csp", "csp-stripped"])
def test_report_browser_hostile_title_and_url(open_report: Callable[..., Loaded], strip_csp: bool) -> None:
    doc = Document(
        text='<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> body',
        title="</title><script>window.__pwned=1;alert(1)</script>",
        url="javascript:alert(1)",
        author='<img src=x onerror="alert(1)">',
    )
    r = open_report(Analysis(document=doc), strip_csp=strip_csp)
    page = r.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() == "</title><script>window.__pwned=1;alert(1)</script> — unspin report"
    assert page.locator("a[href^='javascript']").count() == 0
    assert "javascript:alert(1)" in page.locator("header").inner_text()  # shown as text, not a link
    assert_clean(r)


# ------------------------------------------------------------------------------------------ long reports, map


def test_report_browser_long_lists_grouped_and_folded(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_long(quotes=40))
    page = r.page
    groups = page.locator("#quotes details.speaker")
    assert groups.count() == 5
    first, second = groups.nth(0), groups.nth(1)
    assert first.locator("blockquote").first.is_visible()
    assert not second.locator("blockquote").first.is_visible()  # folded
    second.locator("summary").click()
    assert second.locator("blockquote").first.is_visible()
    # the quotes column is short beside the sources, not one 8,000-pixel column
    height = page.evaluate("document.getElementById('quotes').getBoundingClientRect().height")
    assert height < 2500, height
    claims = page.locator("#claims-all")
    assert not claims.locator("h3").first.is_visible()
    claims.locator("summary").click()
    assert claims.locator("h3").first.inner_text().startswith("¶2")
    # a folded passage still opens in the details panel from the article
    page.locator("mark.hl[data-i='1']").first.click()
    assert "Loaded language" in page.locator("#details-body").inner_text()
    assert_clean(r)


def test_report_browser_map_draws_coastlines_offline(open_report: Callable[..., Loaded]) -> None:
    r = open_report(FIX.build_sample())
    page = r.page
    paths = page.locator(".map g.land path")
    assert paths.count() >= 2  # Ukraine, Russia and their neighbours
    box = paths.first.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 20  # drawn, not empty
    names = page.locator(".map g.land path title").all_text_contents()
    assert "Ukraine" in names
    assert page.locator(".map circle.pt-event").count() == 2
    assert_clean(r)  # the outlines are inline: no tile or other request


def test_report_browser_not_analysed_sections(open_report: Callable[..., Loaded]) -> None:
    from unspin.analysis import Skipped

    reason = "not analysed: the text's language is 'de', and this detector reads only en"
    analysis = Analysis(
        document=Document(text="Die Regierung lügt, und die Medien schweigen.", language="de"),
        skipped=[Skipped(detector=n, reason=reason) for n in ("techniques", "claims", "sources")],
    )
    r = open_report(analysis)
    page = r.page
    assert page.locator(".skipped li").count() == 3
    assert "Not analysed (the text's language is 'de'" in page.locator("#claims").inner_text()
    assert "No persuasion technique was found" not in page.locator("body").inner_text()
    assert_clean(r)
