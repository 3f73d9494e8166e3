"""Each kind of bad input is refused at the door with its own error and exit code."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from unspin.errors import (
    BinaryInput,
    EmptyInput,
    FetchFailed,
    InputNotFound,
    InputTooLarge,
    NoArticleText,
    PrivateAddressRefused,
)
from unspin.ingest import load
from unspin.options import Options


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_ingest_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound, match="no such file"):
        load(tmp_path / "nope.txt")


def test_ingest_folder_is_not_an_article(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound, match="folder"):
        load(tmp_path)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n"])
def test_ingest_empty_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(EmptyInput):
        load(write(tmp_path, "empty.txt", data))


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200),
        bytes(range(1, 32)) * 40,
    ],
)
def test_ingest_binary_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(BinaryInput):
        load(write(tmp_path, "blob.bin", data))


def test_ingest_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"word " * 3000)
    with pytest.raises(InputTooLarge, match="over the limit"):
        load(path, Options(max_bytes=10_000))


def test_ingest_html_without_article(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html><html><head><title>x</title><script>var a=1;</script></head><body><nav></nav></body></html>"
    with pytest.raises(NoArticleText):
        load(write(tmp_path, "empty.html", page))


def test_ingest_non_english_gives_a_warning(tmp_path: Path) -> None:
    text = "Le gouvernement a annoncé mardi une réforme des retraites qui sera débattue au parlement en janvier."
    document, warnings = load(write(tmp_path, "fr.txt", text.encode()))
    assert document.language == "fr"
    assert any("is in French (fr), not English" in warning for warning in warnings)


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:9/story",
        "http://localhost/story",
        "http://10.0.0.8/a",
        "http://169.254.169.254/latest",
        "http://[::1]/a",
        "http://192.168.1.1/",
        "http://0.0.0.0/",
    ],
)
def test_ingest_private_url_refused(address: str) -> None:
    with pytest.raises(PrivateAddressRefused, match="--allow-private"):
        load(address)


def test_ingest_unreachable_url() -> None:
    with pytest.raises(FetchFailed):
        load("http://unreachable.invalid/story")


def test_ingest_non_http_scheme_is_not_a_url(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        load("ftp://example.org/file.txt")


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "story.html").write_bytes((Path(__file__).parent.parent / "fixtures" / "article.html").read_bytes())

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, format, *args):  # type: ignore[no-untyped-def]
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ingest_local_url_with_allow_private(local_server: str) -> None:
    document, _ = load(f"{local_server}/story.html", Options(allow_private=True))
    assert document.source_kind == "url"
    assert document.title == "Council shuts riverside library after budget vote"
    assert document.url == f"{local_server}/story.html"


def test_ingest_url_http_error(local_server: str) -> None:
    with pytest.raises(FetchFailed, match="404"):
        load(f"{local_server}/missing.html", Options(allow_private=True))


def test_ingest_url_over_size_limit(local_server: str) -> None:
    with pytest.raises(InputTooLarge):
        load(f"{local_server}/story.html", Options(allow_private=True, max_bytes=200))
