"""The `unspin` command line: a thin caller of the library. Errors become one line and an exit code here."""

from unspin.cli.main import app

__all__ = ["app"]
