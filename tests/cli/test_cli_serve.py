"""`unspin serve` as a user starts it: loopback by default, a token required anywhere else (from `--token` or
`UNSPIN_TOKEN`), one clear error and exit code for each refusal."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import ROOT, Served

from unspin.cli.serve import is_loopback


def run_serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unspin", "serve", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})},
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "newsroom.example"])
def test_cli_serve_refuses_a_non_loopback_address_without_a_token(host: str) -> None:
    result = run_serve("--host", host, "--port", "0", env={"UNSPIN_TOKEN": ""})
    assert result.returncode == 2
    assert result.stderr.startswith("unspin: error: refusing to serve on")
    assert "--token" in result.stderr and "UNSPIN_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--workers", "0"), "--workers must be from 1"),
        (("--port", "70000"), "--port must be from 0"),
        (("--token", "short"), "at least 8 characters"),
    ],
)
def test_cli_serve_bad_options_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run_serve(*args)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("store", "code", "message"),
    [
        ("bogus://somewhere", 2, "is not a store URL"),
        ("sqlite:////proc/no-such-dir/store.db", 1, "cannot open the store"),
    ],
)
def test_cli_serve_a_store_that_cannot_be_opened_is_one_clear_error(store: str, code: int, message: str) -> None:
    result = run_serve("--port", "0", "--store", store)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "serving on" not in result.stderr


def test_cli_serve_port_in_use_is_one_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve("--port", str(port))
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("10.0.0.5", False),
        ("example.org", False),
    ],
)
def test_cli_serve_loopback_addresses(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_cli_serve_with_the_token_from_the_environment_wants_it_on_every_request(tmp_path: Path) -> None:
    token = "classroom-token-2026"
    served = Served(
        "--host",
        "0.0.0.0",
        "--workers",
        "1",
        "--store",
        f"sqlite:///{tmp_path / 'store.db'}",
        env={"UNSPIN_TOKEN": token},
    )
    try:
        url = served.wait_ready(headers={"authorization": f"Bearer {token}"})
        local = url.replace("0.0.0.0", "127.0.0.1")
        assert httpx.get(local).status_code == 401
        assert httpx.get(local, headers={"authorization": f"Bearer {token}"}).status_code == 200
        assert httpx.get(local + "openapi.json", headers={"x-unspin-token": token}).status_code == 200
    finally:
        assert served.stop() == 0
    assert (tmp_path / "store.db").exists()  # the store was opened (and its schema made) at start


def test_cli_serve_on_loopback_answers_only_loopback_host_names(tmp_path: Path) -> None:
    served = Served("--workers", "1", "--store", f"sqlite:///{tmp_path / 'store.db'}")
    try:
        url = served.wait_ready()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(url).status_code == 200
        assert httpx.get(url.replace("127.0.0.1", "localhost")).status_code == 200
        port = url.rsplit(":", 1)[1].strip("/")
        assert httpx.get(url, headers={"host": f"rebound.example:{port}"}).status_code == 400
    finally:
        assert served.stop() == 0


def test_cli_serve_every_option_is_in_the_readme() -> None:
    import typer.main

    from unspin.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    serve = typer.main.get_command(app).commands["serve"]  # type: ignore[attr-defined]
    flags = [flag for param in serve.params for flag in getattr(param, "opts", ()) if flag.startswith("--")]
    assert "--token" in flags and "--allow-private" in flags
    for flag in flags:
        if flag != "--help":
            assert flag in readme.split("## The web app", 1)[1].split("\n## ", 1)[0], flag
