"""What guards every request: the token rule, the Host check, body size limits, the CSRF cookie, and the
security headers (a strict Content-Security-Policy first) on every response, error responses included.

One pure ASGI middleware rather than several `BaseHTTPMiddleware`s: it sees the raw `receive` (so a body is
counted as it streams in, chunked or not) and every `http.response.start` (so no response leaves without
the headers, whichever part of the app made it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unspin.web.settings import WebSettings

# Our own pages: scripts and styles from our own /static files only, no inline script, no eval, no plugin,
# no framing, forms posting only back to us.
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
TOKEN_COOKIE = "unspin_token"
TOKEN_HEADER = "x-unspin-token"
TOKEN_QUERY = "token"
CSRF_COOKIE = "unspin_csrf"
CSRF_FIELD = "csrf_token"
BODY_TOO_LARGE = "body_too_large"


class BodyTooLarge(Exception):
    """A request body grew past the limit while being read (raised inside `receive`, answered with 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is over the limit of {limit:,} bytes")
        self.limit = limit


class CsrfFailed(Exception):
    """A form post without the session's CSRF token (answered with 403)."""


def wants_json(scope: Scope) -> bool:
    """API clients get JSON errors; pages get an HTML page."""
    path: str = scope.get("path", "")
    if path.startswith("/api/") or path == "/openapi.json":
        return True
    accept = Headers(scope=scope).get("accept", "")
    return "text/html" not in accept and "application/json" in accept


# --------------------------------------------------------------------------------------------- CSRF


def _sign(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, nonce.encode("ascii"), hashlib.sha256).hexdigest()


def new_csrf_token(secret: bytes) -> str:
    """A signed double-submit token: a random nonce and its HMAC under the server's secret. The cookie and
    the form field carry the same value; an attacker's site can neither read the cookie nor forge one."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(secret, nonce)}"


def valid_csrf_token(secret: bytes, token: str | None) -> bool:
    if not token or token.count(".") != 1:
        return False
    nonce, signature = token.split(".")
    try:
        expected = _sign(secret, nonce)
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(signature, expected)


def check_csrf(scope: Scope, submitted: str | None) -> None:
    """The submitted token must be the session's own (the cookie) and signed by this server."""
    state: MutableMapping[str, Any] = scope.setdefault("state", {})
    cookie = state.get("csrf_cookie")
    settings: WebSettings = scope["app"].state.settings
    if not (
        submitted
        and cookie
        and valid_csrf_token(settings.secret, submitted)
        and hmac.compare_digest(submitted.encode("utf-8", "replace"), str(cookie).encode("utf-8", "replace"))
    ):
        raise CsrfFailed("the form's security token is missing or stale; reload the page and submit it again")


def _cookie(name: str, value: str, same_site: str = "Strict") -> str:
    morsel: SimpleCookie = SimpleCookie()
    morsel[name] = value
    morsel[name]["path"] = "/"
    morsel[name]["httponly"] = True
    morsel[name]["samesite"] = same_site
    return morsel.output(header="").strip()


# --------------------------------------------------------------------------------------------- the middleware


BugHandler = Callable[[Request, Exception], Awaitable[Response]]


class SecurityMiddleware:
    """`on_bug` answers an exception no handler took (a bug) here, inside the middleware, so that the 500 page
    carries the headers too (Starlette's outermost error middleware would answer without them)."""

    def __init__(self, app: ASGIApp, settings: WebSettings, on_bug: BugHandler) -> None:
        self.app = app
        self.settings = settings
        self.on_bug = on_bug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = cookie_parser(headers.get("cookie", ""))
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        csrf = cookies.get(CSRF_COOKIE)
        set_cookies: list[str] = []
        if valid_csrf_token(self.settings.secret, csrf):
            state["csrf_cookie"] = csrf
        else:
            state["csrf_cookie"] = new_csrf_token(self.settings.secret)
            set_cookies.append(_cookie(CSRF_COOKIE, state["csrf_cookie"]))

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                if "content-security-policy" not in out:
                    out["Content-Security-Policy"] = APP_CSP
                out.setdefault("X-Content-Type-Options", "nosniff")
                out.setdefault("X-Frame-Options", "DENY")
                out.setdefault("Referrer-Policy", "no-referrer")
                out.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                out.setdefault("Cross-Origin-Resource-Policy", "same-origin")
                out.setdefault("Cache-Control", "no-store")
                for cookie in set_cookies:
                    out.append("Set-Cookie", cookie)
            await send(message)

        refusal = self._refusal(scope, headers, cookies, set_cookies)
        if refusal is not None:
            await refusal(scope, receive, send_secured)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_secured(message)

        try:
            await self.app(scope, self._limited(state, receive), send_tracked)
        except Exception as exc:
            if started:  # too late for an error page: the connection is cut short
                raise
            response = await self.on_bug(Request(scope), exc)
            await response(scope, receive, send_secured)

    def _refusal(
        self, scope: Scope, headers: Headers, cookies: dict[str, str], set_cookies: list[str]
    ) -> Response | None:
        """The response that ends a request at the door, or None to let it in."""
        if self.settings.allowed_hosts is not None:
            host = headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower() not in self.settings.allowed_hosts:
                # DNS rebinding: a page elsewhere pointing its own name at 127.0.0.1 must not reach this server.
                return PlainTextResponse("unknown host", status_code=400)
        if self.settings.token is not None:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
            given = _presented_token(headers, cookies) or query.get(TOKEN_QUERY)
            if not given or not hmac.compare_digest(
                given.encode("utf-8", "replace"), self.settings.token.encode("utf-8")
            ):
                return _error(scope, 401, "this server needs its access token (the --token it was started with)")
            if TOKEN_QUERY in query and scope["method"] in ("GET", "HEAD"):
                # Opened from a link with ?token=: keep it in a cookie and drop it from the address bar (and history).
                rest = urlencode([(k, v) for k, v in query.items() if k != TOKEN_QUERY])
                target = scope.get("path", "/") + (f"?{rest}" if rest else "")
                # Lax, not Strict: a link with ?token= opened from a web mail is a cross-site navigation, and a
                # Strict cookie would not follow this redirect. Lax still stays off cross-site posts.
                set_cookies.append(_cookie(TOKEN_COOKIE, self.settings.token, "Lax"))
                return RedirectResponse(target, status_code=303)
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return _error(scope, 400, "bad Content-Length header")
            if int(length) > self.settings.max_body_bytes:
                return _error(
                    scope, 413, f"the request body is over the limit of {self.settings.max_body_bytes:,} bytes", 6
                )
        return None

    def _limited(self, state: MutableMapping[str, Any], receive: Receive) -> Receive:
        """`receive` that counts the body as it arrives and stops it at the limit (a chunked body has no
        Content-Length to refuse up front). The request's state remembers it, for a reader (FastAPI's body
        parsing) that turns the exception into its own 400."""
        limit = self.settings.max_body_bytes
        seen = 0

        async def receive_limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    state[BODY_TOO_LARGE] = True
                    raise BodyTooLarge(limit)
            return message

        return receive_limited


def _presented_token(headers: Headers, cookies: dict[str, str]) -> str | None:
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return headers.get(TOKEN_HEADER) or cookies.get(TOKEN_COOKIE)


def _error(scope: Scope, status: int, message: str, exit_code: int | None = None) -> Response:
    if wants_json(scope):
        return JSONResponse(error_body(status, message, exit_code), status_code=status)
    return PlainTextResponse(f"unspin: {message}", status_code=status)


def error_body(status: int, message: str, exit_code: int | None = None, kind: str | None = None) -> dict[str, Any]:
    """The one shape of every JSON error: the CLI's message and exit code, and the HTTP status."""
    return {"error": {"message": message, "exit_code": exit_code, "type": kind, "status": status}}
