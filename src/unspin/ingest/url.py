"""Fetching an article by URL, safely: http(s) only, public addresses only, bounded size and time.

Every bound is enforced while the bytes arrive, not after:
- the host is resolved once, every address checked, and the connection made to a checked address (the host
  name still goes into TLS SNI, certificate checks and the Host header), so a DNS answer that changes
  between a check and the connection (DNS rebinding) cannot reach the local network;
- one deadline covers the whole fetch (connects, TLS, headers, body, redirects): every socket operation gets
  only the time left, so a server dripping bytes cannot hold the fetch longer than the limit;
- redirects, header bytes and decompressed body bytes (each Content-Encoding layer) are capped;
- only web pages and plain text are read; PDFs, images and other binary types are refused by content type.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from unspin.errors import BinaryInput, FetchFailed, InputTooLarge, PrivateAddressRefused
from unspin.ingest.decompress import content_layers, decode_stream

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_HEADER_BYTES = 64 * 1024
USER_AGENT = "unspin/0.1 (+article analysis; offline-first)"
# What an article can be served as; anything else (PDF, images, octet-stream ...) is refused before reading.
ARTICLE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def resolve_host(host: str) -> list[IPAddress]:
    """Every address `host` resolves to (one DNS lookup); tests replace this to play a hostile resolver."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"cannot resolve host {host!r}: {exc}") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return address.is_global and not address.is_multicast


def checked_addresses(host: str, allow_private: bool) -> list[IPAddress]:
    """Resolve `host` once; refuse it if any address is private (unless allowed)."""
    addresses = resolve_host(host)
    if not addresses:
        raise FetchFailed(f"cannot resolve host {host!r}: no addresses")
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise PrivateAddressRefused(
                    f"{host} resolves to {address}, a private, loopback or link-local address; "
                    "use --allow-private to fetch it anyway"
                )
    return addresses


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchFailed(f"only http and https URLs can be fetched, not {parts.scheme!r}")
    if not parts.hostname:
        raise FetchFailed(f"URL has no host: {url}")


def check_public(url: str, allow_private: bool) -> None:
    """Refuse URLs that point into the local network: an article link must not probe the user's machine."""
    check_url(url)
    host = urlsplit(url).hostname
    assert host is not None
    checked_addresses(host, allow_private)


class Deadline:
    """One time limit for a whole fetch; every socket operation gets what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def left(self, timeout: float | None = None) -> float:
        remaining = self.ends - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout(f"total time limit of {self.seconds:g} s reached")
        return remaining if timeout is None else min(timeout, remaining)

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.ends


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.inner = inner
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self.deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self.deadline.left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        upgraded = self.inner.start_tls(ssl_context, server_hostname, self.deadline.left(timeout))
        return DeadlineStream(upgraded, self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects to the addresses it has checked itself; httpcore keeps the host name for SNI and Host."""

    def __init__(self, deadline: Deadline, allow_private: bool, inner: httpcore.NetworkBackend | None = None) -> None:
        self.deadline = deadline
        self.allow_private = allow_private
        self.inner = inner or httpcore.SyncBackend()
        self.connected: list[tuple[str, IPAddress]] = []  # (host, address) per connection, for the log

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(host.strip("[]"), self.allow_private)
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self.inner.connect_tcp(
                    str(address), port, self.deadline.left(timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            self.connected.append((host, address))
            log.info("connected to %s at %s", host, address)
            return DeadlineStream(stream, self.deadline)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used for fetching articles")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, max(0.0, self.deadline.ends - time.monotonic())))


def pinned_transport(backend: PinnedBackend) -> httpx.HTTPTransport:
    """httpx's transport (its request and error mapping) over a connection pool that uses `backend`."""
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx 0.28 takes no network backend, so the pool it built is swapped for an identical one that has it.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=backend, max_connections=4
    )
    return transport


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def _check_content_type(url: str, content_type: str | None) -> None:
    media = _media_type(content_type)
    if media is None or media in ARTICLE_TYPES:
        return
    if media == "application/pdf":
        raise BinaryInput(f"{url} is a PDF document; unspin reads web pages and plain text (extract its text first)")
    raise BinaryInput(f"{url} is served as {media}, not a web page or plain text")


def _check_headers(url: str, response: httpx.Response) -> None:
    size = sum(len(name) + len(value) + 4 for name, value in response.headers.raw)
    if size > MAX_HEADER_BYTES:
        raise FetchFailed(f"{url} sent {size:,} bytes of headers, over the limit of {MAX_HEADER_BYTES:,}")


def _read_body(url: str, response: httpx.Response, max_bytes: int, deadline: Deadline) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes and "content-encoding" not in response.headers:
        raise InputTooLarge(f"{url} is {int(declared):,} bytes, over the limit of {max_bytes:,} (see --max-bytes)")

    if response.is_stream_consumed:  # an in-memory response (a test transport), already decoded by httpx
        if len(response.content) > max_bytes:
            raise InputTooLarge(f"{url} is larger than the limit of {max_bytes:,} bytes")
        return response.content

    def raw() -> Iterator[bytes]:
        received = 0
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > max_bytes:
                raise InputTooLarge(f"{url} is larger than the limit of {max_bytes:,} bytes")
            deadline.left()
            yield chunk

    layers = content_layers(response.headers.get("content-encoding"), url)
    body = bytearray()
    for piece in decode_stream(raw(), layers, max_bytes, url):
        body.extend(piece)
        if len(body) > max_bytes:
            raise InputTooLarge(f"{url} is larger than the limit of {max_bytes:,} bytes")
    return bytes(body)


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    allow_private: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> tuple[bytes, str, str | None]:
    """GET `url`, following redirects one hop at a time so every hop is checked; `timeout` covers it all.

    Returns (body, final URL, content type). `transport` replaces the network (tests); the address checks then
    happen before each hop instead of at connection time.
    """
    deadline = Deadline(timeout)
    if transport is None:
        transport = pinned_transport(PinnedBackend(deadline, allow_private))
        checked_at_connect = True
    else:
        checked_at_connect = False
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", "Accept": "text/html, text/plain"}
    with httpx.Client(transport=transport, timeout=timeout, follow_redirects=False, headers=headers) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url)
            if not checked_at_connect:
                check_public(url, allow_private)
            try:
                with client.stream("GET", url, timeout=deadline.left(timeout)) as response:
                    _check_headers(url, response)
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchFailed(f"{url} answered HTTP {response.status_code}")
                    content_type = response.headers.get("content-type")
                    _check_content_type(url, content_type)
                    body = _read_body(url, response, max_bytes, deadline)
                    return body, str(response.url), content_type
            except (httpx.HTTPError, httpcore.TimeoutException) as exc:
                if deadline.passed:
                    raise FetchFailed(f"could not fetch {url} within the time limit of {timeout:g} s") from None
                raise FetchFailed(f"could not fetch {url}: {str(exc) or type(exc).__name__}") from None
    raise FetchFailed(f"{url}: more than {MAX_REDIRECTS} redirects")
