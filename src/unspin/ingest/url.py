"""Fetching an article by URL, safely: http(s) only, public addresses only, bounded size and time."""

from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import urljoin, urlsplit

import httpx

from unspin.errors import FetchFailed, InputTooLarge, PrivateAddressRefused

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
USER_AGENT = "unspin/0.1 (+article analysis; offline-first)"


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def resolve_host(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"cannot resolve host {host!r}: {exc}") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_public(url: str, allow_private: bool) -> None:
    """Refuse URLs that point into the local network: an article link must not probe the user's machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchFailed(f"only http and https URLs can be fetched, not {parts.scheme!r}")
    if not parts.hostname:
        raise FetchFailed(f"URL has no host: {url}")
    if allow_private:
        return
    for address in resolve_host(parts.hostname):
        if not address.is_global or address.is_multicast:
            raise PrivateAddressRefused(
                f"{parts.hostname} resolves to {address}, a private, loopback or link-local address; "
                "use --allow-private to fetch it anyway"
            )


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    allow_private: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> tuple[bytes, str, str | None]:
    """GET `url`, following redirects one hop at a time so every hop is checked.

    Returns (body, final URL, content type).
    """
    with httpx.Client(
        transport=transport, timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_public(url, allow_private)
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchFailed(f"{url} answered HTTP {response.status_code}")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > max_bytes:
                            raise InputTooLarge(f"{url} is larger than the limit of {max_bytes:,} bytes")
                    return bytes(body), str(response.url), response.headers.get("content-type")
            except httpx.HTTPError as exc:
                raise FetchFailed(f"could not fetch {url}: {str(exc) or type(exc).__name__}") from None
    raise FetchFailed(f"{url}: more than {MAX_REDIRECTS} redirects")
