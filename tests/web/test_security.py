"""What guards every request: the token rule, the Host check, CSRF on forms, the security headers on every
response (errors included), and no stack trace in any answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import NEWS_TEXT, csrf_token

from unspin.web.security import APP_CSP, new_csrf_token

TOKEN = "s3cret-newsroom-token"


def assert_secured(headers: object) -> None:
    assert isinstance(headers, dict) or hasattr(headers, "get")
    csp = headers.get("content-security-policy", "")  # type: ignore[attr-defined]
    assert "default-src" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers.get("x-content-type-options") == "nosniff"  # type: ignore[attr-defined]
    assert headers.get("referrer-policy") == "no-referrer"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/docs", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/static/app.css", 200),
        ("GET", "/static/job.js", 200),
        ("GET", "/no/such/page", 404),
        ("GET", "/api/jobs/unknown", 404),
        ("POST", "/analyse", 403),
        ("DELETE", "/api/analyze", 405),
    ],
)
def test_security_every_response_carries_the_strict_policy(
    client: TestClient, method: str, path: str, status: int
) -> None:
    answer = client.request(method, path)
    assert answer.status_code == status
    assert_secured(answer.headers)


def test_security_app_policy_allows_only_our_own_files() -> None:
    directives = dict(part.strip().split(" ", 1) for part in APP_CSP.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_security_pages_load_nothing_from_elsewhere_and_run_no_inline_script(client: TestClient) -> None:
    for path in ("/", "/docs", "/no/such/page"):
        html = client.get(path).text
        assert "<script>" not in html and " on" not in html.split("<body", 1)[1].split(">", 1)[0]
        for attribute in ("src=", "href="):
            for value in html.split(attribute)[1:]:
                assert not value.strip("\"'").startswith(("http:", "https:", "//")), (path, value[:60])


# --------------------------------------------------------------------------------------------- token


@pytest.mark.parametrize(
    "headers",
    [{}, {"authorization": "Bearer wrong-token-value"}, {"x-unspin-token": TOKEN[:-1]}, {"authorization": TOKEN}],
)
def test_security_token_refuses_requests_without_it(
    make_client: Callable[..., TestClient], headers: dict[str, str]
) -> None:
    client = make_client(token=TOKEN)
    for path in ("/", "/static/app.css", "/openapi.json"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 401, path
        assert TOKEN not in answer.text
        assert_secured(answer.headers)
    api = client.post("/api/analyze", json={"text": NEWS_TEXT}, headers=headers)
    assert api.status_code == 401
    assert "token" in api.json()["error"]["message"]


@pytest.mark.parametrize("headers", [{"authorization": f"Bearer {TOKEN}"}, {"x-unspin-token": TOKEN}])
def test_security_token_in_a_header_is_accepted(
    make_client: Callable[..., TestClient], headers: dict[str, str]
) -> None:
    client = make_client(token=TOKEN)
    assert client.get("/", headers=headers).status_code == 200
    assert client.get("/openapi.json", headers=headers).status_code == 200


def test_security_token_link_sets_a_cookie_and_leaves_the_address_bar(make_client: Callable[..., TestClient]) -> None:
    client = make_client(token=TOKEN)
    first = client.get(f"/docs?token={TOKEN}", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/docs"  # the token is not kept in the address (nor in history)
    cookie = first.headers.get_list("set-cookie")
    assert any(c.startswith(f"unspin_token={TOKEN}") and "HttpOnly" in c and "SameSite=Lax" in c for c in cookie)
    assert client.get("/docs").status_code == 200  # the cookie carries it from now on
    assert client.get("/static/app.css").status_code == 200


def test_security_host_check_stops_dns_rebinding(make_client: Callable[..., TestClient]) -> None:
    client = make_client(allowed_hosts=("localhost", "127.0.0.1", "[::1]"))
    assert client.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8000"}).status_code == 200
    rebound = client.get("/", headers={"host": "attacker.example:8000"})
    assert rebound.status_code == 400
    assert_secured(rebound.headers)


# --------------------------------------------------------------------------------------------- CSRF


def test_security_form_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    answer = client.post("/analyse", data={"text": NEWS_TEXT}, follow_redirects=False)
    assert answer.status_code == 403
    assert "security token" in answer.text
    assert "Traceback" not in answer.text


def test_security_csrf_token_must_match_the_session_cookie(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    mine = csrf_token(client)
    other = make_client()
    theirs = csrf_token(other)  # a valid token of another session (signed by another server)
    for forged in (theirs, mine + "x", mine.split(".")[0] + "." + "0" * 64, ""):
        answer = client.post("/analyse", data={"csrf_token": forged, "text": NEWS_TEXT}, follow_redirects=False)
        assert answer.status_code == 403, forged
    # a token this server signed, but not this session's cookie: a cross-site page cannot plant it
    settings = client.app.state.settings  # type: ignore[attr-defined]
    planted = new_csrf_token(settings.secret)
    answer = client.post("/analyse", data={"csrf_token": planted, "text": NEWS_TEXT}, follow_redirects=False)
    assert answer.status_code == 403


def test_security_csrf_cookie_is_http_only_and_same_site(client: TestClient) -> None:
    cookies = client.get("/").headers.get_list("set-cookie")
    csrf = [c for c in cookies if c.startswith("unspin_csrf=")]
    assert csrf and "HttpOnly" in csrf[0] and "SameSite=Strict" in csrf[0]
    token = csrf[0].split("=", 1)[1].split(";", 1)[0]
    assert f'value="{token}"' in client.get("/").text  # the same value in the form (the cookie is kept)


# --------------------------------------------------------------------------------------------- errors


def test_security_a_bug_answers_500_without_a_trace(make_client: Callable[..., TestClient]) -> None:
    client = make_client(raise_server_exceptions=False)

    def broken() -> None:
        raise RuntimeError("secret detail from deep inside /srv/unspin/store.py line 42")

    client.app.add_api_route("/api/broken", broken)  # type: ignore[attr-defined]
    client.app.add_api_route("/broken", broken)  # type: ignore[attr-defined]
    api = client.get("/api/broken")
    assert api.status_code == 500
    assert api.json()["error"]["exit_code"] == 1
    page = client.get("/broken", headers={"accept": "text/html"})
    assert page.status_code == 500
    for answer in (api, page):
        assert "Traceback" not in answer.text and "secret detail" not in answer.text and "store.py" not in answer.text
        assert_secured(answer.headers)
