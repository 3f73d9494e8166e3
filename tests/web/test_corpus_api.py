"""The corpus's JSON API on a store filled by `unspin corpus run`: every filter of `GET /api/documents`, its
pagination and bounds, the stored analysis of one document, claim clusters and `like`, stats by site/author/month,
failures; each error is JSON with the CLI's message and exit code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import settings_for
from tests.web.corpus_fixtures import BRIDGE, HOSTILE, corpus_store_path

from unspin.analysis import Analysis
from unspin.web import create_app


@pytest.fixture(scope="module")
def corpus_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(corpus_store_path(tmp_path_factory)))) as client:
        yield client


def documents(client: TestClient, **params: Any) -> dict[str, Any]:
    answer = client.get("/api/documents", params=params)
    assert answer.status_code == 200, answer.text
    listed: dict[str, Any] = answer.json()
    return listed


def titles(listed: dict[str, Any]) -> set[str]:
    return {d["title"] for d in listed["documents"]}


def test_documents_lists_every_stored_article_newest_first(corpus_client: TestClient) -> None:
    listed = documents(corpus_client, per_page=100)
    assert listed["total"] == 10 == len(listed["documents"])  # 7 written here and 3 PTC; the empty one failed
    dated = [d["published"] for d in listed["documents"] if d["published"]]
    assert dated == sorted(dated, reverse=True)
    assert listed["documents"][0]["published"] == "2026-05-02"
    assert all(d["published"] is None for d in listed["documents"][len(dated) :])  # undated last
    first = listed["documents"][0]
    assert first["title"] == "Italy mourns after Genoa bridge disaster"
    assert first["analysis"] == f"/api/documents/{first['id']}"
    assert first["report"] == f"/corpus/documents/{first['id']}"
    assert first["claims"] >= 1 and first["words"] > 50


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"q": "GENOA"},
            {
                "Bridge collapse in Genoa kills 23",
                "Genoa bridge toll rises",
                "Italy mourns after Genoa bridge disaster",
            },
        ),
        ({"q": "morningledger"}, {"Italy mourns after Genoa bridge disaster"}),  # the site
        ({"q": "/city/stadium"}, {"Critics attack stadium plan"}),  # the URL
        ({"site": "harbourpost.example"}, {"Genoa bridge toll rises", "Critics attack stadium plan"}),
        ({"author": "Paola Conti"}, {"Bridge collapse in Genoa kills 23", "Italy mourns after Genoa bridge disaster"}),
        (
            {"date_from": "2026-04-14", "date_to": "2026-04-15"},
            {"Bridge collapse in Genoa kills 23", "Genoa bridge toll rises"},
        ),
        ({"date_to": "2026-03-01"}, {"Critics attack stadium plan"}),
        ({"language": "de"}, {"Streik im Hamburger Hafen"}),
        ({"site": "riverside.example", "date_from": "2026-04-01"}, {"Bridge collapse in Genoa kills 23"}),
    ],
)
def test_documents_filters(corpus_client: TestClient, params: dict[str, str], expected: set[str]) -> None:
    listed = documents(corpus_client, **params)
    assert titles(listed) == expected
    assert listed["total"] == len(expected)


def test_documents_search_takes_percent_and_underscore_literally(corpus_client: TestClient) -> None:
    assert documents(corpus_client, q="%")["total"] == 0
    assert documents(corpus_client, q="_")["total"] == 0


def test_documents_filter_on_claims_with_a_number(corpus_client: TestClient) -> None:
    with_number = titles(documents(corpus_client, has_number="true", per_page=100))
    without = titles(documents(corpus_client, has_number="false", per_page=100))
    assert "Genoa bridge toll rises" in with_number  # "has killed 35 people"
    assert "Council passes budget after stormy debate" in with_number  # "4 percent"
    assert "Critics attack stadium plan" in without
    assert not with_number & without
    assert len(with_number | without) == 10


def test_documents_filter_on_a_technique_matches_the_stored_spans(corpus_client: TestClient) -> None:
    everything = documents(corpus_client, per_page=100)["documents"]
    with_spans = [d for d in everything if d["techniques"]]
    assert with_spans, "the corpus has no technique at all"
    for technique in ("Loaded_Language", "Name_Calling,Labeling"):
        found = documents(corpus_client, technique=technique, per_page=100)["documents"]
        for d in found:
            spans = Analysis.from_json(corpus_client.get(d["analysis"]).content).techniques
            assert any(t.technique == technique for t in spans), (technique, d["title"])
        # and every article with such a span is listed
        listed_ids = {d["id"] for d in found}
        for d in with_spans:
            spans = Analysis.from_json(corpus_client.get(d["analysis"]).content).techniques
            if any(t.technique == technique for t in spans):
                assert d["id"] in listed_ids


def test_documents_pages_cover_the_list_once(corpus_client: TestClient) -> None:
    first = documents(corpus_client, per_page=4, page=1)
    assert (first["total"], first["pages"], len(first["documents"])) == (10, 3, 4)
    seen = [d["id"] for page in (1, 2, 3) for d in documents(corpus_client, per_page=4, page=page)["documents"]]
    assert len(seen) == 10 == len(set(seen))
    assert len(documents(corpus_client, per_page=4, page=3)["documents"]) == 2


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"page": "4", "per_page": "4"}, 400, "page 4 is past the last page (3) of 10 articles"),
        ({"page": "0"}, 422, "page: Input should be greater than or equal to 1"),
        ({"per_page": "101"}, 422, "per_page: Input should be less than or equal to 100"),
        ({"per_page": "ten"}, 422, "per_page: Input should be a valid integer"),
        ({"date_from": "14/04/2026"}, 422, "date_from: Input should be a valid date"),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, 422, "date_from 2026-05-01 is after date_to 2026-04-01"),
        ({"technique": "Propaganda"}, 422, "unknown technique 'Propaganda'"),
        ({"has_number": "maybe"}, 422, "has_number: Input should be a valid boolean"),
        ({"sort": "title"}, 422, "sort: Extra inputs are not permitted"),
        ({"q": "x" * 201}, 422, "q: String should have at most 200 characters"),
    ],
)
def test_documents_bad_parameters_are_json_errors(
    corpus_client: TestClient, params: dict[str, str], status: int, message: str
) -> None:
    answer = corpus_client.get("/api/documents", params=params)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert message in error["message"]
    assert error["exit_code"] == 2 and error["status"] == status
    assert "Traceback" not in answer.text


def test_document_answers_the_stored_analysis_json(corpus_client: TestClient) -> None:
    (listed,) = documents(corpus_client, q="Genoa bridge toll")["documents"]
    answer = corpus_client.get(f"/api/documents/{listed['id']}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    analysis = Analysis.from_json(answer.content)
    assert analysis.document.id == listed["id"]
    assert analysis.document.title == "Genoa bridge toll rises"
    assert analysis.document.text == BRIDGE[1]["text"]
    assert any("killed 35 people" in claim.text for claim in analysis.claims)
    assert answer.json()["schema"].startswith("unspin.analysis/")


def test_document_keeps_hostile_strings_as_data(corpus_client: TestClient) -> None:
    (listed,) = documents(corpus_client, site=HOSTILE["site"])["documents"]
    assert listed["title"] == HOSTILE["title"] and listed["url"] == HOSTILE["url"]
    answer = corpus_client.get(listed["analysis"])
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["document"]["site"] == HOSTILE["site"]


@pytest.mark.parametrize("document_id", ["0" * 32, "no-such-article", "%3Cscript%3E"])
def test_unknown_document_is_a_json_404_with_the_cli_code(corpus_client: TestClient, document_id: str) -> None:
    answer = corpus_client.get(f"/api/documents/{document_id}")
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["message"].startswith("no stored document ")
    assert error["exit_code"] == 3 and error["type"] == "InputNotFound"


def test_claims_cluster_the_bridge_toll_with_its_disagreeing_numbers(corpus_client: TestClient) -> None:
    answer = corpus_client.get("/api/claims")
    assert answer.status_code == 200, answer.text
    clusters = answer.json()["clusters"]
    bridge = [c for c in clusters if any("Genoa" in v["text"] for v in c["variants"])]
    assert len(bridge) == 1, [c["text"] for c in clusters]
    (cluster,) = bridge
    assert cluster["articles"] == 3
    assert cluster["first_seen"] == "2026-04-14"
    assert cluster["sites"] == ["riverside.example", "harbourpost.example", "morningledger.example"]
    disagreeing = {d["site"]: [n["text"] for n in d["numbers"]] for d in cluster["discrepancies"]}
    assert disagreeing == {"harbourpost.example": ["35"], "morningledger.example": ["43"]}
    assert all(c["articles"] >= 2 for c in clusters)
    assert corpus_client.get("/api/claims", params={"min_articles": 4}).json()["clusters"] == [
        c for c in clusters if c["articles"] >= 4
    ]


def test_claims_like_finds_the_stored_wordings(corpus_client: TestClient) -> None:
    answer = corpus_client.get("/api/claims", params={"like": "The Genoa bridge collapse killed dozens", "limit": 3})
    assert answer.status_code == 200, answer.text
    matches = answer.json()["matches"]
    assert "clusters" not in answer.json()
    assert 1 <= len(matches) <= 3
    assert all("Genoa" in m["text"] for m in matches)
    assert [m["similarity"] for m in matches] == sorted((m["similarity"] for m in matches), reverse=True)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"like": "   "}, "like: Value error, the claim to look for is empty"),
        ({"min_articles": "1"}, "min_articles: Input should be greater than or equal to 2"),
        ({"limit": "0"}, "limit: Input should be greater than or equal to 1"),
    ],
)
def test_claims_bad_parameters(corpus_client: TestClient, params: dict[str, str], message: str) -> None:
    answer = corpus_client.get("/api/claims", params=params)
    assert answer.status_code == 422
    assert message.replace("Value error, ", "") in answer.json()["error"]["message"]
    assert answer.json()["error"]["exit_code"] == 2


def test_stats_by_site_author_month_and_all(corpus_client: TestClient) -> None:
    by_site = corpus_client.get("/api/stats", params={"by": "site"}).json()
    assert by_site["by"] == "site"
    sites = {g["group"]: g for g in by_site["groups"]}
    assert sites["riverside.example"]["articles"] == 2
    assert sites["harbourpost.example"]["articles"] == 2
    assert sum(g["articles"] for g in by_site["groups"]) == 10
    by_author = {g["group"]: g["articles"] for g in corpus_client.get("/api/stats?by=author").json()["groups"]}
    assert by_author["Paola Conti"] == 2 and by_author["Tom Avery"] == 2
    by_month = {g["group"]: g["articles"] for g in corpus_client.get("/api/stats?by=month").json()["groups"]}
    assert by_month["2026-04"] == 4 and by_month["2026-05"] == 1 and by_month["(unknown)"] == 3
    (everything,) = corpus_client.get("/api/stats").json()["groups"]
    assert everything["articles"] == 10
    bad = corpus_client.get("/api/stats", params={"by": "week"})
    assert bad.status_code == 422
    assert "by: Input should be 'site', 'author' or 'month'" in bad.json()["error"]["message"]


def test_failures_list_the_empty_record(corpus_client: TestClient) -> None:
    listed = corpus_client.get("/api/failures").json()
    assert listed["total"] == 1
    (failure,) = listed["failures"]
    assert failure["source"].endswith("#empty-record") and "no 'text'" in failure["reason"]
    assert corpus_client.get("/api/failures?page=2").status_code == 400


def test_openapi_documents_the_corpus_endpoints(corpus_client: TestClient) -> None:
    paths = corpus_client.get("/openapi.json").json()["paths"]
    for path in ("/api/documents", "/api/documents/{document_id}", "/api/claims", "/api/stats", "/api/failures"):
        assert "get" in paths[path], path
    names = {p["name"] for p in paths["/api/documents"]["get"]["parameters"]}
    assert {
        "q",
        "site",
        "author",
        "date_from",
        "date_to",
        "technique",
        "has_number",
        "language",
        "page",
        "per_page",
    } <= names
    docs = corpus_client.get("/docs")
    assert "/api/claims" in docs.text and "/api/stats" in docs.text


def test_the_corpus_api_writes_nothing(corpus_client: TestClient) -> None:
    for path in ("/api/documents", "/api/claims", "/api/stats"):
        assert corpus_client.post(path, json={}).status_code == 405
    listed = documents(corpus_client, per_page=1)
    assert corpus_client.delete(listed["documents"][0]["analysis"]).status_code == 405


def test_an_empty_store_answers_empty_lists_not_errors(client: TestClient) -> None:
    assert client.get("/api/documents").json() == {"total": 0, "page": 1, "per_page": 25, "pages": 1, "documents": []}
    assert client.get("/api/claims").json() == {"clusters": []}
    assert client.get("/api/stats", params={"by": "site"}).json() == {"by": "site", "groups": []}
    (everything,) = client.get("/api/stats").json()["groups"]
    assert everything["group"] == "all" and everything["articles"] == 0
    assert client.get("/api/failures").json()["failures"] == []
    for path in ("/corpus/documents", "/corpus/sources", "/corpus/claims", "/corpus/events", "/corpus/failures"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'class="empty"' in page.text, path


def test_the_corpus_api_wants_the_token_of_a_server_started_with_one(make_client: Any) -> None:
    guarded = make_client(token="newsroom-token-1")
    refused = guarded.get("/api/documents")
    assert refused.status_code == 401 and refused.json()["error"]["status"] == 401
    assert guarded.get("/api/stats", headers={"Authorization": "Bearer wrong-token-00"}).status_code == 401
    allowed = guarded.get("/api/documents", headers={"Authorization": "Bearer newsroom-token-1"})
    assert allowed.status_code == 200 and allowed.json()["total"] == 0
