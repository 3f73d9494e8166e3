"""Errors a user can cause, each with the CLI exit code documented in the README."""

from __future__ import annotations


class UnspinError(Exception):
    """Base of every error caused by input or environment rather than by a bug; `cli.py` prints one line."""

    exit_code = 1


class InputNotFound(UnspinError):
    exit_code = 3


class EmptyInput(UnspinError):
    exit_code = 4


class BinaryInput(UnspinError):
    exit_code = 5


class InputTooLarge(UnspinError):
    exit_code = 6


class NoArticleText(UnspinError):
    exit_code = 7


class FetchFailed(UnspinError):
    exit_code = 8


class PrivateAddressRefused(UnspinError):
    exit_code = 9


class BadRecords(UnspinError):
    exit_code = 10


class BadOption(UnspinError):
    exit_code = 2


class ModelMissing(UnspinError):
    exit_code = 11


class StoreBusy(UnspinError):
    """Another process holds the store's write lock (e.g. a second `records import`); retrying later works."""

    exit_code = 12


class NotAnArticle(UnspinError):
    """With --strict: the page is not an article (a listing, a status page ...) or its text may be incomplete."""

    exit_code = 13


class NotAnAnalysis(UnspinError):
    """`unspin render` was given a file that is not a saved unspin analysis (JSON)."""

    exit_code = 14


class AnalysisTooSlow(UnspinError):
    """One document's analysis ran past its time limit (corpus and web workers): recorded, the run goes on."""

    exit_code = 16


class ClusterError(UnspinError):
    """`unspin corpus run --dask ADDRESS`: no Dask scheduler answers there, no worker joined it, it went away, or
    a worker runs another unspin (version, models) than the run."""

    exit_code = 15
