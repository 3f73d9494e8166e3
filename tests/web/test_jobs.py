"""The worker pool behind the pages and the API: a worker that dies fails its job with a reason, and the
next analysis gets a fresh pool; finished jobs are forgotten past a bound, so memory stays flat."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import NEWS_TEXT

from unspin.options import Options, Runtime
from unspin.web import jobs
from unspin.web.jobs import Job, JobQueue, Submission


def test_jobs_a_killed_worker_fails_its_job_and_the_pool_recovers(make_client: Callable[..., TestClient]) -> None:
    client = make_client(workers=1)
    queue: JobQueue = client.app.state.jobs  # type: ignore[attr-defined]
    job, done = queue.submit(Submission("text", NEWS_TEXT, "pasted text"))
    deadline = time.monotonic() + 60
    while not queue._pool._processes and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.05)
    for pid in list(queue._pool._processes):  # type: ignore[union-attr]
        os.kill(pid, signal.SIGKILL)
    outcome = done.result(timeout=60)
    assert outcome.analysis is None and outcome.error is not None and "worker process died" in outcome.error
    assert job.state == "failed" and job.exit_code == 1
    answer = client.post("/api/analyze", json={"text": NEWS_TEXT})
    assert answer.status_code == 200, answer.text
    assert queue.failed == 1 and queue.stored == 1 and queue.pending == 0


def test_jobs_finished_jobs_are_forgotten_past_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    queue = JobQueue(Options(), Runtime(), workers=1, queue_limit=1, preload=False)  # not started: no process
    monkeypatch.setattr(jobs, "MAX_JOBS", 5)
    for number in range(12):
        job = Job(f"job-{number}", "pasted text", state="done" if number < 10 else "running")
        queue.jobs[job.id] = job
        queue._forget_old()
    assert list(queue.jobs) == ["job-7", "job-8", "job-9", "job-10", "job-11"]
