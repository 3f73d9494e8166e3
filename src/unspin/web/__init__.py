"""The local web app (`unspin serve`): analyse an article in the browser, explore the corpus, call the API."""

from unspin.web.app import create_app
from unspin.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
