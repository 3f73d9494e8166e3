"""Fixtures of the web app's tests: an app on a fresh store, with or without a worker that loads the models.

`client` serves pages and refuses or accepts requests without ever analysing (no worker process starts);
`analysing_client` has one worker, started once for the session, for the tests that run analyses.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from unspin.web import WebSettings, create_app

# Articles of the shape the app receives, written for these tests.
NEWS_TEXT = (
    "City council approves new flood barrier\n\n"
    "The city council voted on Tuesday to spend 48 million euros on a flood barrier along the river, "
    'the mayor\'s office said. Council member Ana Reyes called the plan "a shameful waste of public money" '
    "and said residents had not been consulted. The barrier will protect about 12,000 homes, according to "
    "the regional water authority. Work is due to begin in March and last three years."
)
NEWS_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Port strike enters second week</title>
<meta name="author" content="Lena Fischer"><meta property="og:site_name" content="Harbour Gazette"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Port strike enters second week</h1>
<p>Dock workers in the northern port extended their strike on Monday, leaving more than 300 ships waiting
offshore, the port authority said.</p>
<p>The union says wages have fallen 9 percent in real terms since 2021. "We will not be bullied back to work,"
union leader Marco Bianchi told reporters outside the terminal.</p>
<p>The transport ministry said talks would resume on Thursday and warned that fuel deliveries could be
delayed if the strike continued into next month.</p></article>
<footer>Contact us</footer></body></html>
"""


def settings_for(store: Path, **values: Any) -> WebSettings:
    values.setdefault("preload", False)
    return WebSettings(store_url=f"sqlite:///{store}", **values)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def make_client(store_path: Path) -> Iterator[Callable[..., TestClient]]:
    """A factory: `make_client(token=..., max_upload_bytes=...)` starts an app with those settings."""
    opened: list[TestClient] = []

    def make(**values: Any) -> TestClient:
        raise_errors = values.pop("raise_server_exceptions", True)
        client = TestClient(create_app(settings_for(store_path, **values)), raise_server_exceptions=raise_errors)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def analysing_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-store") / "store.db"


@pytest.fixture(scope="session")
def analysing_client(analysing_store: Path) -> Iterator[TestClient]:
    app = create_app(settings_for(analysing_store, workers=1, preload=True))
    with TestClient(app) as client:
        yield client


def csrf_token(client: TestClient) -> str:
    """The CSRF token a page gives its forms (the client keeps the matching cookie)."""
    page = client.get("/")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the analyse page has no CSRF field"
    return found.group(1)


# --------------------------------------------------------------------------------------------- a real server

ROOT = Path(__file__).resolve().parents[2]
SERVING = re.compile(r"serving on (http://\S+/)")


class Served:
    """`unspin serve` in a child process, as a user starts it; `url` once it answers."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "unspin", "serve", "--port", "0", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})},
        )
        self.log: list[str] = []
        self._found = threading.Event()
        self.url = ""
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)
            found = SERVING.search(line)
            if found and not self.url:
                self.url = found.group(1)
                self._found.set()
        self._found.set()

    def wait_ready(self, seconds: float = 120, headers: dict[str, str] | None = None) -> str:
        """The server's address, once it answers (its lifespan has opened the store and started the pool)."""
        self._found.wait(seconds)
        if not self.url:
            raise AssertionError(f"unspin serve did not start: {''.join(self.log)}")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "static/app.css", headers=headers, timeout=5)
                return self.url
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError(f"unspin serve never answered: {''.join(self.log)}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=30)
