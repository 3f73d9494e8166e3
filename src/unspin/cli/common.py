"""What every command shares: turning `UnspinError` into one line on stderr and its exit code."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from unspin.errors import UnspinError
from unspin.text.control import safe_line

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int) -> typer.Exit:
    # Messages quote file names, URLs and values from the input: no control character may reach the terminal.
    typer.echo(f"unspin: error: {safe_line(message)}", err=True)
    return typer.Exit(code)


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Report input errors as one clear line; never a traceback for a user's mistake."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except UnspinError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            # A bug, not the user's fault: one line by default, the traceback when asked for.
            if os.environ.get("UNSPIN_DEBUG"):
                raise
            message = (
                f"internal error ({type(exc).__name__}: {exc}); set UNSPIN_DEBUG=1 for details and please report it"
            )
            raise fail(message, 1) from None

    return wrapper


def warn(message: str) -> None:
    typer.echo(f"unspin: warning: {safe_line(message)}", err=True)


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="unspin: %(name)s: %(message)s")


# The web app's access token may come from the environment instead of the command line (where `ps` shows it).
ENV_TOKEN = "UNSPIN_TOKEN"


def environment_token() -> str | None:
    return os.environ.get(ENV_TOKEN, "").strip() or None
