"""`corpus report` without a browser: the page carries plotly.js and its figures (no URL to load anything
from), the CSP admits exactly its two scripts, hostile names are escaped in the tables and in the figures,
not-analysed measures say so, and `report_html`/`chart_specs` give the whole corpus or one site."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from tests.corpus.test_stats_export import ALL_RAN, QUOTE, SHELLING, STORY, fill, save
from typer.testing import CliRunner

from unspin.cli import app
from unspin.corpus import report
from unspin.store import corpus as store

HOSTILE = '<img src=x onerror=alert(1)><a href="javascript:alert(2)">Evil</a> & Co'
SCRIPTS = re.compile(r"<script>(.*?)</script>", re.S)
FIGURES = re.compile(r'<script type="application/json" class="figure" data-target="([a-z-]+)">(.*?)</script>', re.S)


SAFE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "div",
    "h1",
    "h2",
    "p",
    "span",
    "main",
    "section",
    "ul",
    "li",
    "code",
    "script",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "footer",
}


class Elements(HTMLParser):
    """The element and attribute names of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def hostile_store(tmp_path: Path) -> str:
    url = fill(f"sqlite:///{tmp_path / 'store.db'}")
    save(store.open_store(url), STORY + QUOTE + SHELLING, "h.txt", HOSTILE, "2024-04-02", ALL_RAN)
    save(store.open_store(url), STORY + QUOTE + SHELLING, "i.txt", "Daily", "<i>x</i>", ALL_RAN)  # not a date
    return url


def test_corpus_report_is_self_contained_and_escapes_names(tmp_path: Path) -> None:
    url = hostile_store(tmp_path)
    out = tmp_path / "reports" / "corpus.html"
    result = CliRunner().invoke(app, ["corpus", "report", "--store", url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    scripts = SCRIPTS.findall(page)
    assert len(scripts) == 2 and scripts[0] == report.plotly_js()  # plotly.js from the package, then ours
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    assert f"script-src '{sha256(scripts[0])}' '{sha256(scripts[1])}';" in policy
    assert "default-src 'none'" in policy and "unsafe-eval" not in policy
    elements = Elements()
    elements.feed(page)
    assert elements.tags <= SAFE_TAGS, elements.tags - SAFE_TAGS  # no img, a, iframe or svg from a name
    assert not {name for name in elements.attributes if name in ("src", "href") or name.startswith("on")}
    assert (
        "&lt;img src=x onerror=alert(1)&gt;&lt;a href=&#34;javascript:alert(2)&#34;&gt;Evil&lt;/a&gt; &amp; Co" in page
    )
    figures = {target: json.loads(data) for target, data in FIGURES.findall(page)}
    assert set(figures) == {
        "techniques-by-group-plot",
        "techniques-over-time-plot",
        "opinion-by-group-plot",
        "source-mix-plot",
        "most-cited-plot",
        "claims-by-group-plot",
        "events-over-time-plot",
    }
    ticks = figures["opinion-by-group-plot"]["layout"]["xaxis"]["ticktext"]
    assert '&lt;img src=x onerror=alert(1)&gt;&lt;a href="ja…' in ticks  # cut to 40, then escaped: shown literally
    months = figures["techniques-over-time-plot"]["data"][0]["x"]
    assert months == ["2024-03", "2024-04", "&lt;i&gt;x&lt;/i"]  # a date field from a document is escaped too
    hover = figures["source-mix-plot"]["data"][0]["customdata"]
    assert '&lt;img src=x onerror=alert(1)&gt;&lt;a href="javascript:alert(2)"&gt;Evil&lt;/a&gt; &amp; Co' in hover


def test_corpus_report_chart_specs_say_what_was_not_analysed(tmp_path: Path) -> None:
    engine = store.open_store(fill(f"sqlite:///{tmp_path / 'store.db'}"))
    charts = {chart.id: chart for chart in report.chart_specs(engine, by="site")}
    opinion = charts["opinion-by-group"]
    assert opinion.rows == [["Daily", "2", "4", "50.0%"], ["Weekly", "0", "not analysed", "not analysed"]]
    assert opinion.figure["data"][0]["y"] == [50.0]  # Weekly is not drawn as a zero
    assert charts["most-cited"].rows == [["Mayor Ann Lee", "2"]]
    events = charts["events-over-time"]
    assert [row[0] for row in events.rows] == ["2024-03", "2024-04"] and events.rows[0][2] == "1"
    weekly = {chart.id: chart for chart in report.chart_specs(engine, site="Weekly")}
    assert "techniques-by-group" not in weekly  # one site's page is by month
    assert weekly["opinion-by-group"].empty and weekly["events-over-time"].empty
    words = len((STORY * 3 + QUOTE + SHELLING).split())  # c.txt, its one Loaded_Language span
    assert weekly["techniques-over-time"].rows[0][:3] == ["2024-03", "1", f"{1000 / words:.2f}"]
    page = report.report_html(engine, site="Weekly")
    assert "<h1>Weekly</h1>" in page and "No article of these groups had its opinion sentences analysed." in page


def test_corpus_report_refuses_bad_options(tmp_path: Path) -> None:
    url = fill(f"sqlite:///{tmp_path / 'store.db'}")
    runner = CliRunner()
    assert (
        runner.invoke(
            app, ["corpus", "report", "--store", url, "--out", str(tmp_path / "r.html"), "--by", "author"]
        ).exit_code
        == 2
    )
    result = runner.invoke(app, ["corpus", "report", "--store", url, "--out", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder" in result.output
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    result = runner.invoke(app, ["corpus", "report", "--store", missing, "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 3 and not (tmp_path / "r.html").exists()
    result = runner.invoke(
        app, ["corpus", "report", "--store", url, "--site", "Nowhere", "--out", str(tmp_path / "r.html")]
    )
    assert result.exit_code == 3 and "no article from site 'Nowhere'" in result.output
