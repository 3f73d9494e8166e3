"""The corpus pages, served from a store filled by `unspin corpus run`: the list and its filters, each article's
report (the very HTML of `unspin analyze --format html`), sources, claims, events; hostile strings from the
store reach every page escaped, and an address is a link only when it is http(s)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import settings_for
from tests.web.corpus_fixtures import HOSTILE, HOSTILE_BEACON, corpus_store_path

from unspin import render
from unspin.analysis import Analysis
from unspin.web import create_app
from unspin.web.security import APP_CSP

PAGES = ("/corpus/documents", "/corpus/sources", "/corpus/claims", "/corpus/events", "/corpus/failures")


@pytest.fixture(scope="module")
def corpus_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(corpus_store_path(tmp_path_factory)))) as client:
        yield client


def listed_titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<a class="doc" href="/corpus/documents/[0-9a-f]+">([^<]*)</a>', html)]


def test_corpus_redirects_to_the_article_list(corpus_client: TestClient) -> None:
    answer = corpus_client.get("/corpus", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/corpus/documents"


@pytest.mark.parametrize("path", PAGES)
def test_every_corpus_page_is_served_under_the_app_policy_and_in_the_navigation(
    corpus_client: TestClient, path: str
) -> None:
    answer = corpus_client.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-security-policy"] == APP_CSP
    assert '<link rel="stylesheet" href="/static/corpus.css">' in answer.text
    for href in ("/corpus/documents", "/corpus/sources", "/corpus/claims", "/corpus/events"):
        assert f'<a href="{href}"' in answer.text
    assert "<script" not in answer.text.split("</footer>")[0].split("<main")[1]  # no script of ours or theirs
    assert corpus_client.get("/static/corpus.css").status_code == 200


def test_the_list_filters_and_keeps_them_in_the_form(corpus_client: TestClient) -> None:
    page = corpus_client.get("/corpus/documents", params={"site": "riverside.example", "date_from": "2026-04-01"})
    assert listed_titles(page.text) == ["Bridge collapse in Genoa kills 23"]
    assert "1 article matches." in page.text
    assert "<option selected>riverside.example</option>" in page.text
    assert 'name="date_from" type="date" value="2026-04-01"' in page.text
    found = corpus_client.get("/corpus/documents", params={"q": "genoa", "technique": "", "has_number": ""})
    assert sorted(listed_titles(found.text)) == [
        "Bridge collapse in Genoa kills 23",
        "Genoa bridge toll rises",
        "Italy mourns after Genoa bridge disaster",
    ]
    none = corpus_client.get("/corpus/documents", params={"q": "volcano"})
    assert "No stored article matches these filters." in none.text


def test_the_list_pages_keep_the_filters(corpus_client: TestClient) -> None:
    first = corpus_client.get("/corpus/documents", params={"per_page": 3, "language": "en"})
    assert len(listed_titles(first.text)) == 3 and "Page 1 of 3" in first.text
    following = re.search(r'<a rel="next" href="([^"]+)"', first.text)
    assert following is not None
    assert unescape(following.group(1)) == "/corpus/documents?language=en&per_page=3&page=2"
    second = corpus_client.get(unescape(following.group(1)))
    assert "Page 2 of 3" in second.text
    assert not set(listed_titles(first.text)) & set(listed_titles(second.text))


def test_a_bad_filter_is_an_error_page_not_a_trace(corpus_client: TestClient) -> None:
    answer = corpus_client.get("/corpus/documents", params={"date_from": "yesterday"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "date_from: Input should be a valid date" in answer.text and "(error 2)" in answer.text
    past = corpus_client.get("/corpus/documents", params={"page": 99})
    assert past.status_code == 400 and "past the last page" in past.text


def test_a_document_opens_the_same_report_as_the_cli(corpus_client: TestClient) -> None:
    listed = corpus_client.get("/api/documents", params={"q": "Genoa bridge toll"}).json()["documents"][0]
    page = corpus_client.get(listed["report"])
    assert page.status_code == 200
    stored = Analysis.from_json(corpus_client.get(listed["analysis"]).content)
    assert page.text == render.render(stored, "html")
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    missing = corpus_client.get("/corpus/documents/" + "0" * 32)
    assert missing.status_code == 404 and "no stored analysis" in missing.text


def test_hostile_strings_are_escaped_on_every_page(corpus_client: TestClient) -> None:
    hostile_id = corpus_client.get("/api/documents", params={"site": HOSTILE["site"]}).json()["documents"][0]["id"]
    source = corpus_client.get("/corpus/source", params={"name": HOSTILE["site"]})
    assert source.status_code == 200
    for answer in [corpus_client.get(path) for path in PAGES] + [source]:
        body = answer.text
        assert "<script>" not in body and "<svg onload" not in body and "<img src" not in body
        assert 'onerror="' not in body and "<b onmouseover" not in body
        assert HOSTILE_BEACON not in re.findall(r'(?:src|href)="([^"]*)"', body)
        assert not re.search(r'href="\s*javascript:', body, re.IGNORECASE)
    listing = corpus_client.get("/corpus/documents", params={"site": HOSTILE["site"]}).text
    assert listed_titles(listing) == [HOSTILE["title"]]  # shown, as text
    assert "javascript:fetch(&#39;" in listing  # the address shown as text, not made a link
    report = corpus_client.get(f"/corpus/documents/{hostile_id}").text
    assert "<script>window" not in report and '<img src="http' not in report


def test_sources_page_and_one_source(corpus_client: TestClient) -> None:
    sources = corpus_client.get("/corpus/sources").text
    assert '<a href="/corpus/source?name=riverside.example">riverside.example</a>' in sources
    assert '<td class="num">2</td>' in sources
    page = corpus_client.get("/corpus/source", params={"name": "harbourpost.example"})
    assert page.status_code == 200
    assert '<h1 id="source-name">harbourpost.example</h1>' in page.text
    assert sorted(listed_titles(page.text)) == ["Critics attack stadium plan", "Genoa bridge toll rises"]
    assert 'aria-label="Articles by month of publication"' in page.text
    assert re.search(r"<title>2026-02: 1</title>", page.text) and re.search(r"<title>2026-04: 1</title>", page.text)
    missing = corpus_client.get("/corpus/source", params={"name": "nowhere.example"})
    assert missing.status_code == 404 and "no stored article from nowhere.example" in missing.text
    assert corpus_client.get("/corpus/source").status_code == 422


def test_claims_page_lists_the_cluster_and_opens_it(corpus_client: TestClient) -> None:
    page = corpus_client.get("/corpus/claims")
    links = re.findall(r'<a class="cluster" href="(/corpus/claims/[^"]+)">([^<]*)</a>', page.text)
    bridge = [href for href, text in links if "Genoa" in text]
    assert len(bridge) == 1
    cluster = corpus_client.get(bridge[0])
    assert cluster.status_code == 200
    assert "Made in 3 articles on 3 sites; first seen\n2026-04-14 at riverside.example." in cluster.text
    assert "The numbers disagree" in cluster.text
    assert "<strong>35</strong> at harbourpost.example (2026-04-15)" in cluster.text
    assert "<strong>43</strong> at morningledger.example (2026-05-02)" in cluster.text
    assert cluster.text.count('<circle class="dot"') == 3  # one per article, on the time axis
    assert cluster.text.count('class="disagree-row"') == 2
    assert corpus_client.get("/corpus/claims/nope").status_code == 404


def test_claims_like_search(corpus_client: TestClient) -> None:
    page = corpus_client.get("/corpus/claims", params={"like": "bridge collapse in Genoa killed people"})
    assert page.status_code == 200
    assert re.search(r"<h2>[1-9]\d* claims? like it</h2>", page.text)
    assert "Genoa" in page.text.split("like it</h2>")[1]
    assert 'value="bridge collapse in Genoa killed people"' in page.text


def test_events_page_maps_and_dates_the_bridge_collapse(corpus_client: TestClient) -> None:
    page = corpus_client.get("/corpus/events")
    assert page.status_code == 200
    assert '<svg class="map"' in page.text and '<g class="land"><path d="M' in page.text  # offline outlines
    assert page.text.count('<circle class="event"') >= 3
    assert re.search(
        r"<title>kill in Genoa — 2026-04-14, 23 dead — Bridge collapse in Genoa kills 23</title>", page.text
    )
    assert '<svg class="timeline"' in page.text
    only = corpus_client.get("/corpus/events", params={"date_from": "2026-04-14", "date_to": "2026-04-14"})
    assert "1 event." in only.text
    bad = corpus_client.get("/corpus/events", params={"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert bad.status_code == 422


def test_corpus_report_pages_are_the_cli_report_under_its_own_policy(corpus_client: TestClient) -> None:
    for path, params in (
        ("/corpus/report", {}),
        ("/corpus/report", {"by": "month"}),
        ("/corpus/source/report", {"name": "riverside.example"}),
    ):
        answer = corpus_client.get(path, params=params)
        assert answer.status_code == 200, (path, params)
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', answer.text)
        assert meta is not None
        assert answer.headers["content-security-policy"] == unescape(meta.group(1)) + "; frame-ancestors 'none'"
        assert answer.text.count('<script type="application/json" class="figure"') >= 3
    source = corpus_client.get("/corpus/source/report", params={"name": "riverside.example"}).text
    assert "riverside.example" in source and "harbourpost.example" not in source
    page = corpus_client.get("/corpus/source", params={"name": "riverside.example"}).text
    assert 'href="/corpus/source/report?name=riverside.example"' in page
    assert corpus_client.get("/corpus/source/report", params={"name": "nowhere.example"}).status_code == 404
    assert corpus_client.get("/corpus/report", params={"by": "author"}).status_code == 422
