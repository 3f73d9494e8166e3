"""Errors become answers: JSON for API clients (the CLI's message and exit code), an HTML page for people.
No stack trace ever reaches a client; a bug is logged here and answered with a plain 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from unspin import errors
from unspin.text.control import safe_line
from unspin.web.jobs import Busy
from unspin.web.security import BODY_TOO_LARGE, BodyTooLarge, CsrfFailed, error_body, wants_json
from unspin.web.templating import page

log = logging.getLogger(__name__)

# The HTTP status of each kind of user error (the exit code travels in the body, as the CLI would exit).
STATUS: dict[type[errors.UnspinError], int] = {
    errors.BadOption: 400,
    errors.InputNotFound: 404,
    errors.EmptyInput: 422,
    errors.BinaryInput: 415,
    errors.InputTooLarge: 413,
    errors.NoArticleText: 422,
    errors.NotAnArticle: 422,
    errors.FetchFailed: 502,
    errors.PrivateAddressRefused: 403,
    errors.StoreBusy: 503,
    errors.ModelMissing: 500,
    errors.NotAnAnalysis: 422,
    errors.AnalysisTooSlow: 422,
    Busy: 503,
}
TITLES = {
    400: "Bad request",
    401: "Access token needed",
    403: "Refused",
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    415: "Unsupported input",
    422: "Cannot analyse this",
    500: "Internal error",
    502: "Could not fetch the page",
    503: "Busy",
}


def status_of(error: errors.UnspinError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500 if error.exit_code == 1 else 400


def answer(request: Request, status: int, message: str, exit_code: int | None, kind: str | None = None) -> Response:
    message = safe_line(message)
    if wants_json(request.scope):
        return JSONResponse(error_body(status, message, exit_code, kind), status_code=status)
    context = {"status": status, "heading": TITLES.get(status, "Error"), "message": message, "exit_code": exit_code}
    return page(request, "error.html", context, status_code=status)


async def on_unspin_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.UnspinError)
    return answer(request, status_of(exc), str(exc), exc.exit_code, type(exc).__name__)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if request.scope.get("state", {}).get(BODY_TOO_LARGE):
        limit: int = request.app.state.settings.max_body_bytes
        return await on_body_too_large(request, BodyTooLarge(limit))
    message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "error")
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"nothing at {request.url.path}"
    response = answer(request, exc.status_code, message, None)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for problem in exc.errors()[:5]:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        message = str(problem.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else message)
    return answer(request, 422, "bad request: " + "; ".join(problems), errors.BadOption.exit_code, "BadOption")


async def on_body_too_large(request: Request, exc: Exception) -> Response:
    return answer(request, 413, str(exc), errors.InputTooLarge.exit_code, "InputTooLarge")


async def on_csrf_failed(request: Request, exc: Exception) -> Response:
    return answer(request, 403, str(exc), None, "CsrfFailed")


async def on_bug(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path)
    return answer(request, 500, f"internal error ({type(exc).__name__}); the server's log has the details", 1)


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.UnspinError, on_unspin_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(BodyTooLarge, on_body_too_large)
    app.add_exception_handler(CsrfFailed, on_csrf_failed)
    app.add_exception_handler(Exception, on_bug)
