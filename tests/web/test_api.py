"""The JSON API: `POST /api/analyze` answers with the analysis of the contract and stores it; each error is
JSON with the CLI's message and exit code; the docs are served without any external request."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.conftest import NEWS_HTML, NEWS_TEXT, settings_for

from unspin.analysis import Analysis
from unspin.store import corpus as store
from unspin.web import create_app


def stored_sources(store_path: Path) -> list[tuple[str, str | None]]:
    engine = store.open_store(f"sqlite:///{store_path}")
    with store.session(engine) as s:
        return [(row.source, row.title) for row in s.scalars(select(store.DocumentRow))]


def test_api_analyze_text_answers_the_analysis_json_and_stores_it(
    analysing_client: TestClient, analysing_store: Path
) -> None:
    answer = analysing_client.post("/api/analyze", json={"text": NEWS_TEXT})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    data = answer.json()
    assert data["schema"].startswith("unspin.analysis/")
    assert data["document"]["text"].startswith("City council approves new flood barrier")
    for key in ("techniques", "sentences", "claims", "quotes", "sources", "entities", "places", "events"):
        assert isinstance(data[key], list), key
    assert any("48 million euros" in claim["text"] for claim in data["claims"])
    assert any(quote["speaker"] == "Ana Reyes" for quote in data["quotes"])
    analysis = Analysis.from_json(answer.content)  # the contract's model reads it back
    assert analysis.document.id == answer.headers["x-unspin-document"]
    assert ("pasted text", "City council approves new flood barrier") in stored_sources(analysing_store)
    # the job that ran it is known to the status endpoint
    job = analysing_client.get(f"/api/jobs/{answer.headers['x-unspin-job']}").json()
    assert job["state"] == "done" and job["document_id"] == analysis.document.id


def test_api_analyze_html_extracts_the_article(analysing_client: TestClient) -> None:
    answer = analysing_client.post("/api/analyze", json={"html": NEWS_HTML, "name": "port-strike.html"})
    assert answer.status_code == 200, answer.text
    document = answer.json()["document"]
    assert document["title"] == "Port strike enters second week"
    assert document["site"] == "Harbour Gazette"
    assert "Contact us" not in document["text"] and "300 ships" in document["text"]
    assert answer.json()["extraction"] is not None


@pytest.mark.parametrize(
    ("body", "status", "exit_code", "message"),
    [
        ({"text": "   \n\t "}, 422, 4, "is empty"),
        ({"html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"}, 422, 7, "no article text"),
        ({"url": "http://127.0.0.1:9/news/story"}, 403, 9, "private, loopback or link-local"),
        ({"url": "http://[::1]/story"}, 403, 9, "--allow-private"),
        ({"url": "ftp://example.org/story.txt"}, 400, 2, "not a web address"),
        ({"url": "/etc/passwd"}, 400, 2, "not a web address"),
        ({"url": "file:///etc/passwd"}, 400, 2, "http:// or https://"),
    ],
)
def test_api_analyze_errors_carry_the_cli_message_and_exit_code(
    analysing_client: TestClient, body: dict[str, str], status: int, exit_code: int, message: str
) -> None:
    answer = analysing_client.post("/api/analyze", json=body)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["exit_code"] == exit_code
    assert message in error["message"]
    assert error["status"] == status
    assert "Traceback" not in answer.text


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "One.", "url": "https://example.org/a"}, {"text": 12}, {"txt": "typo in the field name"}],
)
def test_api_analyze_rejects_malformed_bodies_before_any_work(client: TestClient, body: object) -> None:
    answer = client.post("/api/analyze", json=body)
    assert answer.status_code == 422
    assert answer.json()["error"]["exit_code"] == 2
    assert answer.json()["error"]["message"].startswith("bad request: ")


def test_api_analyze_wants_json_so_a_form_post_cannot_reach_it(client: TestClient) -> None:
    """A page elsewhere can make a browser post a form, never with `application/json` (no preflight granted)."""
    as_form = client.post("/api/analyze", data={"text": NEWS_TEXT})
    assert as_form.status_code == 415
    as_text = client.post(
        "/api/analyze", content=json.dumps({"text": NEWS_TEXT}), headers={"content-type": "text/plain"}
    )
    assert as_text.status_code == 415
    assert "application/json" in as_text.json()["error"]["message"]
    preflight = client.options(
        "/api/analyze",
        headers={"origin": "https://elsewhere.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_api_analyze_body_over_the_limit_is_413_with_exit_code_6(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_upload_bytes=10_000)
    answer = client.post("/api/analyze", json={"text": "word " * 40_000})
    assert answer.status_code == 413
    assert answer.json()["error"]["exit_code"] == 6


def test_api_analyze_chunked_body_is_stopped_at_the_limit(make_client: Callable[..., TestClient]) -> None:
    """A body sent without Content-Length is counted as it streams in."""
    client = make_client(max_upload_bytes=10_000)
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(200):
            sent.append(1)
            yield b"word " * 200
        yield b'"}'

    answer = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["error"]["exit_code"] == 6


class ArticleServer(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = NEWS_HTML.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def article_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ArticleServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/port-strike"
    server.shutdown()
    server.server_close()


def test_api_analyze_url_on_this_machine_is_refused_unless_allow_private(
    analysing_client: TestClient, article_url: str, tmp_path: Path
) -> None:
    refused = analysing_client.post("/api/analyze", json={"url": article_url})
    assert refused.status_code == 403
    assert refused.json()["error"]["exit_code"] == 9
    app = create_app(settings_for(tmp_path / "private.db", workers=1, allow_private=True))
    with TestClient(app) as allowed:
        answer = allowed.post("/api/analyze", json={"url": article_url})
    assert answer.status_code == 200, answer.text
    document = answer.json()["document"]
    assert document["url"] == article_url and document["title"] == "Port strike enters second week"
    assert stored_sources(tmp_path / "private.db") == [(article_url, "Port strike enters second week")]


def test_api_job_status_of_an_unknown_job_is_404_json(client: TestClient) -> None:
    answer = client.get("/api/jobs/no-such-job")
    assert answer.status_code == 404
    assert answer.json()["error"]["status"] == 404


def test_api_openapi_describes_analyze_and_the_docs_page_is_local(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/analyze" in schema["paths"] and "post" in schema["paths"]["/api/analyze"]
    assert set(schema["components"]["schemas"]["AnalyzeRequest"]["properties"]) == {"text", "html", "url", "name"}
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/api/analyze" in docs.text and "AnalyzeRequest" in docs.text
    for attribute in ("src=", "href="):
        for value in docs.text.split(attribute)[1:]:
            assert not value.strip("\"'").startswith(("http:", "https:", "//")), value[:80]
    # FastAPI's own docs pages load Swagger UI and ReDoc from a CDN: not served
    assert client.get("/redoc").status_code == 404


def test_api_store_is_written_only_through_analysis(client: TestClient) -> None:
    """Every route that changes anything is one of the two analysis entry points."""

    def walk(routes: list[object]) -> Iterator[tuple[str, str]]:
        for route in routes:
            for method in getattr(route, "methods", None) or ():
                yield getattr(route, "path", ""), method
            # included routers (FastAPI wraps them) and mounts hold routes of their own
            inner = getattr(getattr(route, "original_router", route), "routes", None)
            if inner and inner is not routes:
                yield from walk(list(inner))

    every = sorted(set(walk(list(client.app.routes))))  # type: ignore[attr-defined]
    assert ("/", "GET") in every and ("/api/jobs/{job_id}", "GET") in every  # the walk reaches the routers
    writing = [(path, method) for path, method in every if method not in ("GET", "HEAD")]
    assert writing == [("/analyse", "POST"), ("/api/analyze", "POST")]


def test_api_docs_code_spans_are_escaped_before_they_become_markup() -> None:
    from unspin.web.templating import code_spans

    assert str(code_spans('send `{"text": ...}` here')) == "send <code>{&#34;text&#34;: ...}</code> here"
    assert str(code_spans("`<script>alert(1)</script>`")) == "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"
