"""Hostile inputs found by a reliability probe, each bounded: bombs, endless files, dripping servers, rebinding.

Every network test talks to a server of its own on 127.0.0.1 and finishes in a few seconds at most.
"""

from __future__ import annotations

import gzip
import ipaddress
import os
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import httpcore
import pytest

from unspin.errors import BinaryInput, FetchFailed, InputNotFound, InputTooLarge, PrivateAddressRefused
from unspin.ingest import load, url
from unspin.ingest.decompress import PIECE, decode_stream
from unspin.options import Options

ARTICLE = (
    b"<html><head><title>Flood waters recede in river towns</title></head><body><article>"
    b"<p>Flood waters began to recede on Tuesday in the river towns north of the capital, officials said, "
    b"after three days of rain forced hundreds of families from their homes.</p></article></body></html>"
)
PUBLIC_ADDRESS = ipaddress.ip_address("93.184.215.14")


def gzip_bomb(inflated: int, layers: int) -> bytes:
    data = bytes(inflated)
    for _ in range(layers):
        data = gzip.compress(data, compresslevel=9)
    return data


# --- a raw TCP server: each test scripts exactly what the "web server" sends -------------------------------


class RawServer:
    def __init__(self, handler: Callable[[socket.socket, bytes], None]) -> None:
        self.handler = handler
        self.requests: list[bytes] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        with conn:
            request = b""
            try:
                while b"\r\n\r\n" not in request:
                    part = conn.recv(4096)
                    if not part:
                        return
                    request += part
                self.requests.append(request)
                self.handler(conn, request)
            except OSError:
                pass  # the client hung up, as it should when a limit is hit

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket, bytes], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Callable[[socket.socket, bytes], None]) -> RawServer:
        server = RawServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def respond(body: bytes, *headers: str, status: str = "200 OK") -> Callable[[socket.socket, bytes], None]:
    def handler(conn: socket.socket, _request: bytes) -> None:
        head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close", *headers]
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    return handler


def local(server: RawServer, path: str = "/story") -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def fetch_local(address: str, *, max_bytes: int = 1_000_000, timeout: float = 5.0) -> tuple[bytes, str, str | None]:
    return url.fetch(address, max_bytes=max_bytes, timeout=timeout, allow_private=True)


# --- 1. decompression bombs ----------------------------------------------------------------------------------


def test_decompress_double_gzip_bomb_stops_at_the_cap_while_inflating() -> None:
    bomb = gzip_bomb(200_000_000, layers=2)  # 200 MB of zeros in a few kilobytes
    assert len(bomb) < 20_000
    limit = 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLarge, match="inflates to more than"):
            for _ in decode_stream([bomb], ["gzip", "gzip"], limit, "bomb"):
                pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit + 8 * PIECE  # never more than the cap and a few pieces in memory


def test_decompress_layers_undo_in_reverse_order() -> None:
    text = b"The council said on Monday that the bridge would reopen in May. " * 50
    encoded = gzip.compress(gzip.compress(text))
    chunks = [encoded[i : i + 100] for i in range(0, len(encoded), 100)]
    assert b"".join(decode_stream(chunks, ["gzip", "gzip"], 1_000_000, "page")) == text


def test_fetch_gzip_gzip_bomb_over_http_is_refused(serve: Callable[..., RawServer]) -> None:
    server = serve(respond(gzip_bomb(100_000_000, layers=2), "Content-Type: text/html", "Content-Encoding: gzip, gzip"))
    with pytest.raises(InputTooLarge):
        fetch_local(local(server), max_bytes=500_000)


def test_fetch_gzipped_page_is_decoded(serve: Callable[..., RawServer]) -> None:
    server = serve(respond(gzip.compress(ARTICLE), "Content-Type: text/html", "Content-Encoding: gzip"))
    body, _, _ = fetch_local(local(server))
    assert body == ARTICLE


@pytest.mark.parametrize("encoding", ["br", "gzip, gzip, gzip, gzip", "compress"])
def test_fetch_unsupported_or_nested_encodings_refused(serve: Callable[..., RawServer], encoding: str) -> None:
    server = serve(respond(b"xx", "Content-Type: text/html", f"Content-Encoding: {encoding}"))
    with pytest.raises(FetchFailed, match="encoding"):
        fetch_local(local(server))


# --- 2. endless files, FIFOs, devices; slow servers; redirects, headers and content types ----------------------


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    began = time.monotonic()
    with pytest.raises(InputNotFound, match="named pipe"):
        load(fifo)
    assert time.monotonic() - began < 2


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused(device: str) -> None:
    with pytest.raises(InputNotFound, match="device"):
        load(device, Options(max_bytes=1000))


def test_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "story.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputNotFound, match="device"):
        load(link)


def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(path))
        with pytest.raises(InputNotFound, match=r"socket|cannot read"):
            load(path)
    finally:
        listener.close()


def test_file_that_reports_a_smaller_size_is_still_capped(tmp_path: Path) -> None:
    # /proc files report size 0 whatever they hold; the read itself must stop at the cap.
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc here")
    assert status.stat().st_size == 0
    with pytest.raises(InputTooLarge):
        load(status, Options(max_bytes=50))


def test_stdin_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"The mayor said the road was shut. " * 100)))
    with pytest.raises(InputTooLarge):
        load("-", Options(max_bytes=1000))


def drip(head: bytes, every: float, piece: bytes = b"x") -> Callable[[socket.socket, bytes], None]:
    def handler(conn: socket.socket, _request: bytes) -> None:
        conn.sendall(head)
        for _ in range(200):
            time.sleep(every)
            conn.sendall(piece)

    return handler


def test_body_dripping_a_byte_at_a_time_is_cut_at_the_total_deadline(serve: Callable[..., RawServer]) -> None:
    server = serve(drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n", 0.1))
    began = time.monotonic()
    with pytest.raises(FetchFailed, match="time limit"):
        fetch_local(local(server), timeout=1.0)
    assert time.monotonic() - began < 2.0


def test_headers_dripping_forever_are_cut_at_the_total_deadline(serve: Callable[..., RawServer]) -> None:
    server = serve(drip(b"HTTP/1.1 200 OK\r\n", 0.1, b"X-Slow: a\r\n"))
    began = time.monotonic()
    with pytest.raises(FetchFailed, match="time limit"):
        fetch_local(local(server), timeout=1.0)
    assert time.monotonic() - began < 2.0


def test_redirect_loop_is_refused(serve: Callable[..., RawServer]) -> None:
    server = serve(respond(b"", "Location: /again", status="302 Found"))
    with pytest.raises(FetchFailed, match="redirects"):
        fetch_local(local(server))
    assert len(server.requests) == url.MAX_REDIRECTS + 1


def test_redirect_to_a_private_address_is_refused_at_that_hop(
    serve: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = serve(respond(b"", "Location: http://10.1.2.3/admin", status="301 Moved Permanently"))
    monkeypatch.setattr(url, "resolve_host", _resolver({"news.test": [ipaddress.ip_address("127.0.0.1")]}))
    # The first hop is allowed (a local test server); the redirect target is checked on its own.
    body_or_error: object
    try:
        body_or_error = url.fetch(f"http://news.test:{server.port}/", max_bytes=1000, timeout=3, allow_private=False)
    except PrivateAddressRefused as exc:
        body_or_error = exc
    assert isinstance(body_or_error, PrivateAddressRefused)
    assert "news.test resolves to 127.0.0.1" in str(body_or_error)


def test_oversized_headers_are_refused(serve: Callable[..., RawServer]) -> None:
    headers = [f"X-Padding-{i}: {'a' * 1000}" for i in range(150)]
    server = serve(respond(ARTICLE, "Content-Type: text/html", *headers))
    with pytest.raises(FetchFailed):
        fetch_local(local(server))


def test_declared_length_over_the_limit_is_refused_before_reading(serve: Callable[..., RawServer]) -> None:
    def handler(conn: socket.socket, _request: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 900000000\r\n\r\n<html>")
        time.sleep(3)

    server = serve(handler)
    began = time.monotonic()
    with pytest.raises(InputTooLarge, match="900,000,000"):
        fetch_local(local(server), max_bytes=10_000)
    assert time.monotonic() - began < 2


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        ("application/pdf", "PDF document"),
        ("image/png", "image/png"),
        ("application/octet-stream", "application/octet-stream"),
        ("application/zip; name=a.zip", "application/zip"),
    ],
)
def test_non_article_content_types_are_refused(
    serve: Callable[..., RawServer], content_type: str, message: str
) -> None:
    server = serve(respond(b"%PDF-1.7 ...", f"Content-Type: {content_type}"))
    with pytest.raises(BinaryInput, match=message):
        fetch_local(local(server))


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/xhtml+xml", "TEXT/HTML"])
def test_article_content_types_are_read(serve: Callable[..., RawServer], content_type: str) -> None:
    server = serve(respond(ARTICLE, f"Content-Type: {content_type}"))
    document, _ = load(local(server), Options(allow_private=True))
    assert document.text.startswith("Flood waters began to recede")


# --- 4. DNS rebinding -----------------------------------------------------------------------------------------


def _resolver(
    answers: dict[str, list[ipaddress.IPv4Address | ipaddress.IPv6Address]],
) -> Callable[[str], list[ipaddress.IPv4Address | ipaddress.IPv6Address]]:
    def resolve(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        return answers.get(host) or [ipaddress.ip_address(host)]

    return resolve


def test_rebinding_answer_after_the_check_never_reaches_loopback(
    serve: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resolver that answers a public address first and 127.0.0.1 afterwards (a rebinding attack).

    The system resolver is replaced, so a second lookup anywhere (a check, then httpx's own connection)
    would get 127.0.0.1. The fetch must connect to the address it checked, never look the name up again.
    """
    server = serve(respond(ARTICLE, "Content-Type: text/html"))
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding_getaddrinfo(host: str, port: object, *args: object, **kwargs: object) -> list[object]:
        if host != "rebind.test":
            return real_getaddrinfo(host, port, *args, **kwargs)  # type: ignore[arg-type]
        lookups.append(host)
        address = str(PUBLIC_ADDRESS) if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port or 0))]

    real_connect = httpcore.SyncBackend.connect_tcp
    connected: list[str] = []

    def connect(self: httpcore.SyncBackend, host: str, port: int, *args: object, **kwargs: object) -> object:
        connected.append(host)
        if host == str(PUBLIC_ADDRESS):  # this machine is offline: the public address cannot be reached
            raise httpcore.ConnectError("network unreachable")
        return real_connect(self, host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect)
    with pytest.raises(FetchFailed):
        url.fetch(f"http://rebind.test:{server.port}/story", max_bytes=100_000, timeout=3)
    assert server.requests == []
    assert lookups == ["rebind.test"]
    assert connected == [str(PUBLIC_ADDRESS)]


def test_any_private_address_in_the_answer_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    loopback = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(url, "resolve_host", _resolver({"mixed.test": [PUBLIC_ADDRESS, loopback]}))
    with pytest.raises(PrivateAddressRefused, match=r"127\.0\.0\.1"):
        url.fetch("http://mixed.test/story", max_bytes=1000, timeout=2)


@pytest.mark.parametrize("address", ["::ffff:127.0.0.1", "::1", "fe80::1", "100.64.0.1", "224.0.0.1"])
def test_disguised_private_addresses_are_refused(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    monkeypatch.setattr(url, "resolve_host", _resolver({"odd.test": [ipaddress.ip_address(address)]}))
    with pytest.raises(PrivateAddressRefused):
        url.fetch("http://odd.test/story", max_bytes=1000, timeout=2)


def test_connection_uses_the_checked_address_and_keeps_the_host_name(
    serve: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = serve(respond(ARTICLE, "Content-Type: text/html"))
    monkeypatch.setattr(url, "resolve_host", _resolver({"story.test": [ipaddress.ip_address("127.0.0.1")]}))
    body, final, _ = url.fetch(f"http://story.test:{server.port}/a", max_bytes=100_000, timeout=3, allow_private=True)
    assert body == ARTICLE and final == f"http://story.test:{server.port}/a"
    assert f"host: story.test:{server.port}".encode() in server.requests[0].lower()


def test_tls_gets_the_host_name_for_sni_while_connecting_to_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(url, "resolve_host", _resolver({"news.example.org": [PUBLIC_ADDRESS]}))
    seen: dict[str, object] = {}

    class RecordingStream(httpcore.NetworkStream):
        def start_tls(
            self, ssl_context: object, server_hostname: str | None = None, timeout: float | None = None
        ) -> httpcore.NetworkStream:  # type: ignore[override]
            seen["sni"] = server_hostname
            raise httpcore.ConnectError("no TLS server in a test")

        def close(self) -> None:
            pass

    def connect(
        self: httpcore.SyncBackend, host: str, port: int, *args: object, **kwargs: object
    ) -> httpcore.NetworkStream:
        seen["address"], seen["port"] = host, port
        return RecordingStream()

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect)
    with pytest.raises(FetchFailed):
        url.fetch("https://news.example.org/story", max_bytes=1000, timeout=2)
    assert seen == {"address": str(PUBLIC_ADDRESS), "port": 443, "sni": "news.example.org"}
