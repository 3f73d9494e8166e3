"""The analyse pages: the form, the job page that waits, and the report, which is the very HTML of
`unspin analyze --format html` for the stored analysis. Long analyses never hold up other requests."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from tests.web.conftest import NEWS_HTML, NEWS_TEXT, csrf_token

from unspin import render
from unspin.store import corpus as store
from unspin.web.reports import load_analysis

JOB_PATH = re.compile(r"^/analyses/([A-Za-z0-9_-]+)$")


def submit(client: TestClient, files: dict[str, tuple[str, bytes]] | None = None, **fields: str) -> Response:
    data = {"csrf_token": csrf_token(client), **fields}
    return client.post("/analyse", data=data, files=files or {"file": ("", b"")}, follow_redirects=False)


def wait_for(client: TestClient, job_id: str, seconds: float = 120) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status: dict[str, object] = client.get(f"/api/jobs/{job_id}").json()
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still running after {seconds} s")


def job_id_of(answer: Response) -> str:
    assert answer.status_code == 303, answer.text[-500:]
    found = JOB_PATH.match(answer.headers["location"])
    assert found, answer.headers["location"]
    return found.group(1)


def test_analyse_form_offers_text_url_and_file_with_a_csrf_field(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    for field in ('name="text"', 'name="url"', 'name="file"', 'name="csrf_token"'):
        assert field in html
    assert 'enctype="multipart/form-data"' in html and 'action="/analyse"' in html
    assert "3,000,000 bytes" in html


def test_analyse_pasted_text_opens_the_same_report_as_the_cli(
    analysing_client: TestClient, analysing_store: Path
) -> None:
    job_id = job_id_of(submit(analysing_client, text=NEWS_TEXT))
    waiting = analysing_client.get(f"/analyses/{job_id}", follow_redirects=False)
    assert waiting.status_code in (200, 303)  # the waiting page, or the report already
    status = wait_for(analysing_client, job_id)
    assert status["state"] == "done", status
    assert status["report"] == f"/analyses/{job_id}/report"
    report = analysing_client.get(f"/analyses/{job_id}")  # the job page now leads to the report
    assert report.status_code == 200
    assert str(report.url).endswith(f"/analyses/{job_id}/report")
    # the report is the stored analysis rendered by the CLI's own renderer, byte for byte
    engine = store.open_store(f"sqlite:///{analysing_store}")
    job = analysing_client.app.state.jobs.get(job_id)  # type: ignore[attr-defined]
    stored = load_analysis(engine, job.analysis_id)
    assert report.text == render.render(stored, "html")
    assert "City council approves new flood barrier" in report.text
    # served under the report's own policy (hashes of its inline style and script), framing forbidden
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', report.text)
    assert meta is not None
    policy = report.headers["content-security-policy"]
    assert policy == meta.group(1).replace("&#39;", "'") + "; frame-ancestors 'none'"
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy


def test_analyse_uploaded_html_file_is_extracted_and_named(analysing_client: TestClient) -> None:
    answer = submit(analysing_client, files={"file": ("port-strike.html", NEWS_HTML.encode("utf-8"))})
    job_id = job_id_of(answer)
    status = wait_for(analysing_client, job_id)
    assert status["state"] == "done" and status["name"] == "port-strike.html"
    report = analysing_client.get(f"/analyses/{job_id}/report").text
    assert "Port strike enters second week" in report and "Harbour Gazette" in report
    assert "Contact us" not in report


def test_analyse_a_page_with_no_article_shows_the_cli_error(analysing_client: TestClient) -> None:
    empty_page = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    job_id = job_id_of(submit(analysing_client, text=empty_page))
    status = wait_for(analysing_client, job_id)
    assert status["state"] == "failed"
    error = status["error"]
    assert isinstance(error, dict) and error["exit_code"] == 7
    page = analysing_client.get(f"/analyses/{job_id}")
    assert page.status_code == 200
    assert "Could not analyse this" in page.text and "(error 7)" in page.text
    assert analysing_client.get(f"/analyses/{job_id}/report", follow_redirects=False).status_code == 303


def test_analyse_a_long_article_does_not_hold_up_other_requests(analysing_client: TestClient) -> None:
    paragraph = NEWS_TEXT.split("\n\n", 1)[1]
    long_article = "Council budget row deepens\n\n" + "\n\n".join([paragraph] * 60)  # about 5,000 words
    job_id = job_id_of(submit(analysing_client, text=long_article))
    began = time.monotonic()
    form = analysing_client.get("/")
    second_id = job_id_of(submit(analysing_client, text=NEWS_TEXT.replace("Tuesday", "Thursday")))
    status = analysing_client.get(f"/api/jobs/{job_id}").json()
    second = analysing_client.get(f"/api/jobs/{second_id}").json()
    answered_in = time.monotonic() - began
    assert form.status_code == 200
    assert status["state"] == "running", "the analysis finished before the other requests were answered"
    assert answered_in < 2.0
    # one worker: the first is being analysed, the second waits behind it, and says so
    assert status["ahead"] == 0 and second["state"] == "running" and second["ahead"] == 1
    assert wait_for(analysing_client, job_id)["state"] == "done"
    assert wait_for(analysing_client, second_id)["state"] == "done"


@pytest.mark.parametrize(
    ("fields", "files", "status", "message"),
    [
        ({}, None, 422, "nothing to analyse"),
        ({"text": "   "}, None, 422, "nothing to analyse"),
        ({"text": NEWS_TEXT, "url": "https://example.org/news/flood-barrier"}, None, 400, "one article at a time"),
        ({}, {"file": ("scan.pdf", b"%PDF-1.7 binary")}, 415, "not a text or HTML file"),
        ({}, {"file": ("empty.txt", b"  \n")}, 422, "empty.txt is empty"),
        ({"url": "javascript:alert(1)"}, None, 400, "not a web address"),
        ({"url": "/etc/passwd"}, None, 400, "not a web address"),
    ],
)
def test_analyse_bad_submissions_get_an_error_page(
    client: TestClient, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None, status: int, message: str
) -> None:
    answer = submit(client, files=files, **fields)
    assert answer.status_code == status, answer.text[-400:]
    assert message in answer.text
    assert "<h1>" in answer.text and "Traceback" not in answer.text


@pytest.mark.parametrize("field", ["text", "file"])
def test_analyse_input_over_the_limit_is_413(make_client: Callable[..., TestClient], field: str) -> None:
    client = make_client(max_upload_bytes=5_000)
    article = ("Officials said the dam would hold. " * 300).encode("utf-8")  # 10,500 bytes
    if field == "text":
        answer = submit(client, text=article.decode("utf-8"))
    else:
        answer = submit(client, files={"file": ("dam.txt", article)})
    assert answer.status_code == 413
    assert "over the limit of 5,000 bytes" in answer.text and "(error 6)" in answer.text
    body_over = submit(client, text="x" * 200_000)  # past the body limit itself: refused before it is read
    assert body_over.status_code == 413


def test_analyse_unknown_job_is_a_404_page(client: TestClient) -> None:
    answer = client.get("/analyses/not-a-job", headers={"accept": "text/html"})
    assert answer.status_code == 404
    assert "<h1>Not found</h1>" in answer.text


def test_analyse_queue_refuses_work_past_its_limit(make_client: Callable[..., TestClient]) -> None:
    client = make_client(queue_limit=1)
    first = submit(client, text=NEWS_TEXT)
    assert first.status_code == 303
    second = client.post("/api/analyze", json={"text": NEWS_TEXT})
    assert second.status_code == 503
    assert second.json()["error"]["exit_code"] == 12 and "try again" in second.json()["error"]["message"]
